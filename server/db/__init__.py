"""Database: engine choice from DATABASE_URL, Piccolo app config, tables by concept."""

from server.settings import point_piccolo_at_our_conf

point_piccolo_at_our_conf()
