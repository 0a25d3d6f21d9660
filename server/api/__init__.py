"""JSON controllers for the phone app (/api/v1). Thin: parse, authorise, call a
service, shape the reply."""
