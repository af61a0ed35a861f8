"""The zicht web service (FastAPI): `create_app(settings)` in `app`, one router per resource in `routes/`."""
