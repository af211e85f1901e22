"""Staff accounts in the three editorial roles (the groups of briefs/0004).

Contributor writes and submits own briefs; Editor edits every brief, reviews
and approves; Publisher publishes, schedules, withdraws and corrects. A
superuser manages users and groups in the admin; `create_role_account` is
what `manage.py create_role_accounts` calls to set up a newsroom in one go.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import AbstractUser, Group
from django.core.exceptions import ValidationError
from django.db import transaction

from editorial import second_factor

ROLES = ("Contributor", "Editor", "Publisher")


class AccountError(ValueError):
    """The account cannot be made as asked; nothing was written."""


@dataclass(frozen=True)
class RoleAccount:
    user: AbstractUser
    role: str
    created: bool

    @property
    def must_use_second_factor(self) -> bool:
        """Whether the admin will ask for a code (editorial/second_factor.py)."""
        return second_factor.must_use(self.user)


@transaction.atomic
def create_role_account(
    *, username: str, role: str, password: str | None, email: str = ""
) -> RoleAccount:
    """A staff account in the group `role`, made or brought into that group.

    A new account needs `password`, which Django's password validators check
    (AUTH_PASSWORD_VALIDATORS). An existing account keeps its password, and
    whatever other groups it has; it is made staff and put in `role`, so
    running the command again changes nothing.
    """
    if role not in ROLES:
        raise AccountError(f"{role!r} is not a role; the roles are {', '.join(ROLES)}.")
    group = Group.objects.filter(name=role).first()
    if group is None:
        raise AccountError(f"The group {role!r} is missing; run `manage.py migrate`.")
    model = get_user_model()
    user = model._default_manager.filter(**{model.USERNAME_FIELD: username}).first()
    created = user is None
    if created:
        if not password:
            raise AccountError(f"{username}: a new account needs a password.")
        user = model(**{model.USERNAME_FIELD: username}, email=email, is_staff=True)
        try:
            user.full_clean(exclude=["password"])
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise AccountError(f"{username}: {' '.join(error.messages)}") from None
        user.set_password(password)
        user.save()
    elif not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user.groups.add(group)
    return RoleAccount(user=user, role=role, created=created)
