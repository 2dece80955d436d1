from django.core.management.base import BaseCommand, CommandError

from generation.models import Family, GenerativeModel
from generation.services.copy_ranking import MIN_PAIRS, copy_ranker_agreement
from generation.services.copywriting import copywriter_load


class Command(BaseCommand):
    help = (
        "Measures a copywriter's ranking against reviewers' decisions: of the approved and rejected variants of the "
        "same request, how often its ranking and the banks' own order put the approved one first."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="the copywriter's name; its newest version unless --model-version")
        parser.add_argument("--model-version", type=int, help="one version of it")

    def handle(self, *args, name, model_version=None, **options):
        version = model_version
        versions = GenerativeModel.objects.filter(name=name, family=Family.COPY).order_by("-version")
        found = versions.filter(version=version).first() if version else versions.first()
        if found is None:
            raise CommandError(f"No copywriter {name}{f' v{version}' if version else ''}.")
        figures = copy_ranker_agreement(*copywriter_load(found), category_names=found.category_names)
        if not figures["pairs"]:
            self.stdout.write(f"{found}: no reviewed pairs yet (an approved and a rejected variant of one request).")
            return
        verdict = "ranks" if figures["ranker"] > figures["banks"] else "no better than the banks' order"
        if figures["pairs"] < MIN_PAIRS:
            verdict += f" (fewer than {MIN_PAIRS} pairs: not yet a verdict)"
        self.stdout.write(
            f"{found}: {figures['pairs']} pairs; its ranking puts the approved variant first in {figures['ranker']:.1%}, "
            f"the banks' order in {figures['banks']:.1%}: {verdict}"
        )
