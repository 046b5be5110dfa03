"""Database sessions that record the signed-in person (see `PersonSession`)."""

from django.contrib.sessions.backends.db import SessionStore as DBStore


class SessionStore(DBStore):
    @classmethod
    def get_model_class(cls):
        from .models import PersonSession

        return PersonSession

    def create_model_instance(self, data):
        instance = super().create_model_instance(data)
        user_id = data.get("_auth_user_id")
        instance.person_id = int(user_id) if user_id else None
        return instance
