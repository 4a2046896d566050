"""allauth's sign-up form with two promises of ours (ACCOUNT_FORMS["signup"]).

- All or nothing: the member, their email address, consent and interests are saved in one
  transaction, so a failure half-way leaves no member without a name or consent.
- The same work for an address that is already a member as for a new one: a new sign-up hashes the
  password (most of its time), so the other path hashes it too. Otherwise the answer's speed would
  tell who is a member, which ACCOUNT_PREVENT_ENUMERATION promises it does not.
"""

from allauth.account.forms import SignupForm
from django.contrib.auth.hashers import make_password
from django.db import transaction


class AtomicSignupForm(SignupForm):
    def try_save(self, request):
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1"))
            return super().try_save(request)
        with transaction.atomic():
            return super().try_save(request)
