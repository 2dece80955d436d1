from django.core.management.base import BaseCommand

from catalog.services import demo


class Command(BaseCommand):
    help = "Creates one demo login per role (merchandiser, reviewer, admin) and prints them."

    def handle(self, *args, **options):
        self.stdout.write("Demo logins (username / password):")
        for username, role, password in demo.demo_users_ensure():
            self.stdout.write(f"  {role:<13} {username} / {password}")
