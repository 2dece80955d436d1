from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from catalog.services import demo


class Command(BaseCommand):
    help = "Creates one demo login per role (merchandiser, reviewer, admin) and prints them."

    def handle(self, *args, **options):
        if not settings.STUDIO_DEMO:
            raise CommandError(
                "Demo logins have known passwords: they are made only with STUDIO_DEMO=1 (as `make run` sets). "
                "In a deployment, create users with `manage.py createsuperuser` and the admin."
            )
        self.stdout.write("Demo logins (username / password):")
        for username, role, password in demo.demo_users_ensure():
            self.stdout.write(f"  {role:<13} {username} / {password}")
