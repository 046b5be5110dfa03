from __future__ import annotations

from allauth.socialaccount.providers.microsoft.provider import MicrosoftGraphProvider

from .views import EntraOAuth2Adapter


class EntraProvider(MicrosoftGraphProvider):
    oauth2_adapter_class = EntraOAuth2Adapter

    def get_default_scope(self) -> list[str]:
        # `openid` makes the token endpoint send the ID token; `User.Read` reads `/me`.
        return ["openid", "email", "profile", "User.Read"]

    def extract_uid(self, data) -> str:
        # The same person in another tenant is another account (Microsoft: key on tid+oid).
        claims = data["id_token"]
        return f"{claims['tid']}/{claims['oid']}"


provider_classes = [EntraProvider]
