from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Signup is by invitation only: allauth's open signup is closed."""

    def is_open_for_signup(self, request) -> bool:
        return False
