"""
How people sign in: the throttle's failures, and each district's single sign-on
settings, verified domains and linked identities.
"""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from .identity import District, User


class SignInFailure(models.Model):
    """
    A sign-in attempt, counted before its password is checked and kept for a while if it
    fails, to throttle guessing (see ``assessments.signin``).
    """

    email = models.CharField(max_length=254, db_index=True)
    address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.email} from {self.address} at {self.at:%Y-%m-%d %H:%M}"


class SignInSettings(models.Model):
    """
    How a district's people sign in: its OpenID Connect provider (if any), whether a
    password is still accepted, who needs a second factor besides admins (see
    ``assessments.sso`` and ``assessments.second_factor``).
    """

    district = models.OneToOneField(District, on_delete=models.CASCADE, related_name="sign_in")
    # HR and superintendents hold personnel records: a district may ask them for a code too.
    second_factor_for_hr_and_superintendents = models.BooleanField(default=False)
    # Off: the district's people sign in through its provider only (platform admins never).
    password_sign_in = models.BooleanField(default=True)
    sso_enabled = models.BooleanField("single sign-on", default=False)
    issuer = models.URLField("issuer URL", blank=True)
    client_id = models.CharField(max_length=255, blank=True)
    # Fernet-encrypted (``assessments.sso.encrypt_secret``); never shown again in full.
    client_secret_encrypted = models.TextField(blank=True)
    create_on_first_sign_in = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Sign-in settings of {self.district}"


class SignInDomain(models.Model):
    """
    An email domain of a district, for home realm discovery. A platform admin marks it
    verified (having seen the district's DNS record or proof); only verified domains send
    people to a provider.
    """

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(max_length=253, unique=True)
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["domain"]
        constraints = [
            models.CheckConstraint(
                condition=Q(domain=Lower("domain")), name="sign_in_domain_lowercase"
            ),
        ]

    def __str__(self):
        return self.domain


class ExternalIdentity(models.Model):
    """A person's account at their district's provider: its issuer and subject, once linked."""

    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="identities")
    issuer = models.URLField()
    subject = models.CharField(max_length=255)
    linked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="identity_unique"),
        ]

    def __str__(self):
        return f"{self.person} at {self.issuer}"
