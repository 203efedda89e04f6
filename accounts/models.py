"""Users, outbound e-mail and worker heartbeats."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models

from accounts.roles import OFFICER, SUPERVISOR


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("A user needs an e-mail address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)

    def officers(self) -> models.QuerySet[User]:
        """Active staff with the officer or supervisor role: who reviews applications and
        cases, is assigned them and is told about them."""
        return self.filter(
            is_active=True,
            is_staff=True,
            pk__in=self.model.groups.through.objects.filter(
                group__name__in=[OFFICER, SUPERVISOR]
            ).values("user_id"),
        )


class User(AbstractUser):
    """A person who signs in with an e-mail address. Roles are groups (see `accounts.roles`)."""

    username = None  # type: ignore[assignment]
    email = models.EmailField("e-mail address", unique=True)
    full_name = models.CharField(max_length=200, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        ordering = ("email",)
        permissions = (
            ("use_partner_api", "Can verify known-shipper status over the partner API"),
            ("use_officer_pages", "Can use officer pages (queues, screening)"),
        )

    def __str__(self) -> str:
        return self.full_name or self.email

    def has_role(self, role: str) -> bool:
        return self.groups.filter(name=role).exists()


class OutboundEmail(models.Model):
    """An e-mail the system decided to send; written with the action that caused it and
    delivered by a Celery task after commit. Delivery is idempotent: a sent row is final.

    The message itself (body, links with their one-time tokens) is sealed at rest
    (`core.sealing`) and purged once delivered; staff see only the metadata, so nobody can
    take over an account from a stored password-reset or confirmation link."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    created_at = models.DateTimeField(auto_now_add=True)
    recipients = models.TextField(help_text="Comma-separated addresses, for searching.")
    subject = models.CharField(max_length=300)
    sealed_message = models.TextField(
        blank=True, help_text="The encrypted message; emptied when it has been delivered."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ("-created_at",)
        indexes = (models.Index(fields=("status", "created_at")),)

    def __str__(self) -> str:
        return f"{self.subject} -> {self.recipients}"


class WorkerHeartbeat(models.Model):
    """The last time a Celery worker ran the scheduled heartbeat task (shown by /readyz)."""

    hostname = models.CharField(max_length=255, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.hostname} at {self.seen_at:%Y-%m-%d %H:%M:%S}"
