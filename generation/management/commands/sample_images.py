from generation.management.commands.sample_gan import Command as SampleCommand


class Command(SampleCommand):
    """`sample_gan` under the name that says what it does for either engine (sample_gan keeps working)."""
