from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from interviews.parsing import InterviewParseError, parse_interview
from interviews.services import interview_import_text
from members.models import Member


class Command(BaseCommand):
    help = (
        "Turn a plain-text interview into a draft: the opening paragraphs become the introduction, "
        "the greeting is dropped, each paragraph ending in '?' starts a question and the last "
        "paragraph becomes the closing text."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--title", default="")
        parser.add_argument("--interviewee", default="", help="The interviewee's name.")
        parser.add_argument("--author", default="", help="The email address of the author (a member).")

    def handle(self, *args, file: Path, title: str, interviewee: str, author: str, **options) -> None:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        writer = None
        if author:
            writer = Member.objects.filter(email__iexact=author).first()
            if writer is None:
                raise CommandError(f"No member has the email address {author}.")
        try:
            greeting = parse_interview(text).greeting
        except InterviewParseError as error:
            raise CommandError(str(error)) from error
        # Without --interviewee, the name in the greeting ("Hej Adrian!") is the best guess there is.
        name = interviewee.strip() or greeting.split(" ", 1)[-1].rstrip("!,").strip() or file.stem
        interview = interview_import_text(text=text, interviewee_name=name, title=title, author=writer)
        self.stdout.write(
            f"Created the draft “{interview.title}” (slug {interview.slug}) "
            f"with {interview.questions.count()} questions."
        )
