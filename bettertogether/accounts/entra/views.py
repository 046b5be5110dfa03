from __future__ import annotations

import jwt
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.providers.microsoft.views import MicrosoftGraphOAuth2Adapter
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView

from bettertogether.directory.signin import TENANT_ID

DEFAULT_LOGIN_URL = "https://login.microsoftonline.com"
# The claims worth keeping: who (tenant and object id) and what Microsoft says of the
# address. Nothing else of the token is stored.
KEPT_CLAIMS = (
    "tid",
    "oid",
    "email",
    "xms_edov",
    "verified_primary_email",
    "verified_secondary_email",
)
# Microsoft's clock and ours may differ by a little.
CLOCK_SKEW_SECONDS = 120


class EntraOAuth2Adapter(MicrosoftGraphOAuth2Adapter):
    def complete_login(self, request, app, token, **kwargs):
        claims = id_token_claims(
            kwargs["response"].get("id_token"),
            client_id=app.client_id,
            login_url=app.settings.get("login_url", DEFAULT_LOGIN_URL),
        )
        headers = {"Authorization": f"Bearer {token.token}"}
        with get_adapter().get_requests_session() as session:
            response = session.get(
                self.profile_url, params=self.profile_url_params, headers=headers
            )
        try:
            profile = response.json()
        except ValueError as error:
            raise OAuth2Error("Microsoft Graph did not answer with JSON") from error
        if "id" not in profile:
            raise OAuth2Error("Microsoft Graph did not return the profile")
        if profile["id"] != claims["oid"]:
            raise OAuth2Error("Microsoft Graph and the ID token describe different accounts")
        return self.get_provider().sociallogin_from_response(
            request, {**profile, "id_token": claims}
        )


def id_token_claims(id_token: str | None, *, client_id: str, login_url: str) -> dict:
    """The kept claims of the ID token Microsoft's token endpoint sent with the access token.

    The token came straight from the token endpoint over TLS, so its signature need not be
    checked (OpenID Connect Core 1.0, 3.1.3.7, as allauth does for every provider); its
    audience, validity period and issuer are. The issuer names the tenant: a v2.0 token from tenant
    `tid` is issued by `<login_url>/<tid>/v2.0`.
    """
    if not id_token:
        raise OAuth2Error("Microsoft sent no ID token (the sign-in must ask for `openid`)")
    try:
        unverified = jwt.decode(id_token, options={"verify_signature": False})
        tenant = str(unverified.get("tid", ""))
        if not TENANT_ID.fullmatch(tenant):
            raise OAuth2Error("The ID token names no tenant")
        claims = jwt.decode(
            id_token,
            options={
                "verify_signature": False,
                "verify_aud": True,
                "verify_iss": True,
                "verify_exp": True,
                "verify_nbf": True,
                "require": ["exp", "iss", "aud", "tid", "oid"],
            },
            audience=client_id,
            issuer=f"{login_url}/{tenant}/v2.0",
            leeway=CLOCK_SKEW_SECONDS,
        )
    except jwt.PyJWTError as error:
        raise OAuth2Error("Invalid ID token from Microsoft") from error
    return {name: claims[name] for name in KEPT_CLAIMS if name in claims}


oauth2_login = OAuth2LoginView.adapter_view(EntraOAuth2Adapter)
oauth2_callback = OAuth2CallbackView.adapter_view(EntraOAuth2Adapter)
