"""Pure rules of the trade. Imports nothing from litestar, piccolo, boto3 or PIL."""
