"""Self-assessments, their answers and scores, action plans, labels and policy documents.

A school works through cycles: an assessment on one framework version → its action plan →
perhaps a label. The framework content itself is YAML (assessment/frameworks/), not tables.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ictmonitor.core.models import Recorded


class Assessment(Recorded):
    """One institution's assessment in one cycle, on one version of a framework."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("in progress")
        SUBMITTED = "submitted", _("submitted")

    institution = models.ForeignKey("registry.Institution", on_delete=models.CASCADE,
                                    related_name="assessments", db_index=False)
    cycle = models.PositiveIntegerField(_("cycle"))
    framework = models.CharField(_("framework"), max_length=80)
    version = models.CharField(_("version"), max_length=20)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("previous assessment"))
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    overall_score = models.FloatField(_("overall score"), null=True, blank=True)
    # Share of the previous plan's actions done when this one was submitted (label rule 4).
    actions_done = models.FloatField(null=True, blank=True)
    # The version it was submitted on, when answering new questions later moved it to a newer one.
    upgraded_from = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["institution", "-cycle"]
        verbose_name = _("assessment")
        constraints = [
            models.UniqueConstraint(fields=["institution", "cycle"], name="assessment_cycle"),
            models.UniqueConstraint(fields=["institution"], condition=Q(status="draft"),
                                    name="assessment_one_draft"),
            models.CheckConstraint(condition=Q(cycle__gte=1), name="assessment_cycle_positive"),
        ]
        indexes = [models.Index(fields=["status", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.institution_id} #{self.cycle} ({self.framework} {self.version})"


class Answer(Recorded):
    """The level (0–3) a school chose for one question of an assessment, or "don't know"
    (stored at level 0, the level it scores as) or "not applicable" (level 0, left out of
    the scores; only where the framework allows it)."""

    class Mark(models.TextChoices):
        LEVEL = "", _("a level")
        DONT_KNOW = "dont-know", _("don't know")
        NOT_APPLICABLE = "not-applicable", _("not applicable")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers",
                                   db_index=False)
    question = models.CharField(_("question"), max_length=80)
    level = models.PositiveSmallIntegerField(_("maturity level"))
    mark = models.CharField(_("answer"), max_length=16, choices=Mark.choices, blank=True,
                            default="", db_default="")

    class Meta:
        ordering = ["assessment", "question"]
        verbose_name = _("answer")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question"], name="answer_key"),
            models.CheckConstraint(condition=Q(level__lte=3), name="answer_level_0_to_3"),
            models.CheckConstraint(condition=Q(mark="") | Q(level=0), name="answer_mark_at_0"),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.level}"


class Evidence(models.Model):
    """One version of the comment and evidence on one answer: a short text saying what shows
    the answer, with a document (kept under DATA_DIR) or a link. A version is never changed
    once written, a change is the next version (who and when kept); only its review is set:
    a reviewer (board or department) accepts the evidence or sends it back with a reason."""

    class Review(models.TextChoices):
        NONE = "", _("no evidence to review")
        PENDING = "pending", _("awaiting review")
        ACCEPTED = "accepted", _("accepted")
        RETURNED = "returned", _("sent back")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE,
                                   related_name="evidence", db_index=False)
    question = models.CharField(_("question"), max_length=80)
    number = models.PositiveIntegerField(_("version"))
    comment = models.TextField(_("comment"), blank=True, default="")
    text = models.TextField(_("evidence"), blank=True, default="")
    link = models.URLField(_("link"), max_length=500, blank=True, default="")
    # The document: its name as uploaded, where it is kept (relative to DATA_DIR/evidence),
    # its type as checked and its size in bytes.
    document_name = models.CharField(_("document"), max_length=200, blank=True, default="")
    document_path = models.CharField(max_length=200, blank=True, default="")
    document_type = models.CharField(max_length=100, blank=True, default="")
    document_size = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(_("written"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    actor = models.CharField(_("by"), max_length=150)
    review = models.CharField(_("review"), max_length=10, choices=Review.choices, blank=True,
                              default="")
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    reviewer = models.CharField(_("reviewer"), max_length=150, blank=True, default="")
    review_reason = models.TextField(_("reason"), blank=True, default="")

    class Meta:
        ordering = ["assessment", "question", "-number"]
        verbose_name = _("evidence")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question", "number"],
                                    name="evidence_key"),
            models.CheckConstraint(condition=Q(number__gte=1), name="evidence_number_positive"),
            models.CheckConstraint(condition=Q(review__in=["", "pending", "accepted",
                                                           "returned"]),
                                   name="evidence_review_known"),
        ]

    def __str__(self) -> str:
        return f"{self.question} v{self.number}"

    @property
    def complete(self) -> bool:
        """Evidence as a label asks it: a short text plus a document or a link."""
        return bool(self.text.strip() and (self.document_path or self.link))


class AreaScore(models.Model):
    """A submitted assessment's score (0–100) in one area, kept for reports and comparisons."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE,
                                   related_name="area_scores", db_index=False)
    area = models.CharField(_("area"), max_length=80)
    score = models.FloatField(_("score"))

    class Meta:
        ordering = ["assessment", "area"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "area"], name="area_score_key"),
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=100),
                                   name="area_score_0_to_100"),
        ]

    def __str__(self) -> str:
        return f"{self.area}: {self.score:.1f}"


class Action(Recorded):
    """One action of a submitted assessment's plan, with who does it, by when, and how far."""

    class Status(models.TextChoices):
        TODO = "todo", _("to do")
        DOING = "doing", _("in progress")
        DONE = "done", _("done")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="actions",
                                   db_index=False)
    question = models.CharField(_("question"), max_length=80)
    area = models.CharField(_("area"), max_length=80)
    level = models.PositiveSmallIntegerField(_("maturity level"))
    position = models.PositiveIntegerField(_("order"))
    critical_gap = models.BooleanField(_("critical gap"), default=False)
    priority = models.PositiveIntegerField(_("priority"), default=0)
    # A role, not a person's name, and never a pupil ("ICT-coördinator", "directie").
    owner = models.CharField(_("owner"), max_length=100, blank=True)
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.TODO)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    # One of the 5–10 actions the plan proposes for the next cycle (critical first); the rest
    # is the backlog. The coordinator may move an action between the two.
    focus = models.BooleanField(_("focus"), default=False, db_default=False)
    # Whether the next assessment showed the level this action aims at reached (None: no next
    # assessment yet, or the question no longer applies): progress is what was done.
    reached = models.BooleanField(_("level reached"), null=True, blank=True)

    class Meta:
        ordering = ["assessment", "position"]
        verbose_name = _("action")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question"], name="action_key"),
        ]

    def __str__(self) -> str:
        return f"{self.question} ({self.status})"


class Label(Recorded):
    """A bronze, silver or gold label: earned by an assessment or carried over from elsewhere
    (an earlier programme also awarded iron, below bronze: carried over, never earned here)."""

    class Level(models.TextChoices):
        IRON = "iron", _("iron")
        BRONZE = "bronze", _("bronze")
        SILVER = "silver", _("silver")
        GOLD = "gold", _("gold")

    institution = models.ForeignKey("registry.Institution", on_delete=models.CASCADE,
                                    related_name="labels", db_index=False)
    level = models.CharField(_("label level"), max_length=10, choices=Level.choices)
    awarded_on = models.DateField(_("awarded on"))
    valid_until = models.DateField(_("valid until"))
    assessment = models.ForeignKey(Assessment, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="labels")
    # Database defaults: the carry-over import writes rows in SQL, naming only its columns.
    framework_version = models.CharField(_("framework version"), max_length=20, blank=True,
                                         default="", db_default="")
    carried_over = models.BooleanField(_("carried over"), default=False, db_default=False)
    # The verification page's address: random, unguessable, set once (imports fill it after).
    token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    revoked_reason = models.TextField(_("reason for revoking"), blank=True, default="",
                                      db_default="")

    class Meta:
        ordering = ["institution", "-awarded_on"]
        verbose_name = _("label")
        constraints = [
            models.UniqueConstraint(fields=["institution", "awarded_on"], name="label_key"),
            models.CheckConstraint(condition=Q(level__in=["iron", "bronze", "silver", "gold"]),
                                   name="label_level_known"),
            models.CheckConstraint(condition=Q(valid_until__gte=models.F("awarded_on")),
                                   name="label_valid_after_award"),
        ]
        indexes = [models.Index(fields=["awarded_on", "valid_until"])]

    def __str__(self) -> str:
        return f"{self.institution_id} {self.level} {self.awarded_on}"


class PolicyDocument(models.Model):
    """One generation of a school's policy document, kept as it was written, in both languages."""

    class Kind(models.TextChoices):
        # For pupils: in the words of a primary or a secondary school, as the school's level is.
        ACCEPTABLE_USE = "acceptable-use", _("acceptable-use policy for pupils")
        STAFF_USE = "acceptable-use-staff", _("acceptable-use policy for staff")
        INCIDENT_HANDLING = "incident-handling", _("incident-handling procedure")

    institution = models.ForeignKey("registry.Institution", on_delete=models.CASCADE,
                                    related_name="policy_documents", db_index=False)
    kind = models.CharField(_("document"), max_length=30, choices=Kind.choices)
    number = models.PositiveIntegerField(_("version"))
    assessment = models.ForeignKey(Assessment, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("created"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    actor = models.CharField(_("by"), max_length=150)
    body_nl = models.TextField()
    body_en = models.TextField()

    class Meta:
        ordering = ["institution", "kind", "-number"]
        verbose_name = _("policy document")
        constraints = [
            models.UniqueConstraint(fields=["institution", "kind", "number"],
                                    name="policy_document_key"),
        ]

    def __str__(self) -> str:
        return f"{self.institution_id} {self.kind} v{self.number}"

    def body(self, language: str) -> str:
        """The document's HTML body in a language (Dutch unless English is asked)."""
        return self.body_en if language == "en" else self.body_nl


class StaffSurvey(models.Model):
    """A coordinator's invitation to the school's staff to answer the practice questions of an
    assessment anonymously, by a link (no account): the link's random token, who opened it and
    when, and when it was closed."""

    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE,
                                      related_name="staff_survey")
    token = models.CharField(max_length=64, unique=True)
    opened_at = models.DateTimeField(_("opened"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    actor = models.CharField(_("by"), max_length=150)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("staff survey")

    def __str__(self) -> str:
        return f"staff survey of {self.assessment_id}"


class StaffReply(models.Model):
    """One staff member's anonymous answers to the practice questions: question code → level
    0–3, "dont-know" or "not-applicable". Nothing says who replied; only the day is kept (a
    moment could tell who replied when)."""

    survey = models.ForeignKey(StaffSurvey, on_delete=models.CASCADE, related_name="replies",
                               db_index=False)
    replied_on = models.DateField(_("replied on"))
    answers = models.JSONField(_("answers"))

    class Meta:
        ordering = ["survey", "pk"]
        verbose_name = _("staff reply")
        indexes = [models.Index(fields=["survey", "replied_on"])]

    def __str__(self) -> str:
        return f"reply {self.pk} to {self.survey_id}"
