"""Server-rendered pages and files for browsers: the PWA shell, signed blob
links, health. The htmx console lives here too as it grows."""
