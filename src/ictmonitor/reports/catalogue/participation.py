"""What every report on self-assessments and labels states beside its figures: the schools
chose to take part (self-selected, not a sample of all schools), and which framework versions
its figures combine."""

from __future__ import annotations

from collections.abc import Sequence

from ictmonitor.assessment.selectors import assessed_versions
from ictmonitor.core.translation import message as _
from ictmonitor.reports.definitions import Annotations, Parameters

PARTICIPATION = _("Participation")
CHOSE_TO_TAKE_PART = _("Schools chose to take part in the self-assessment and the label: the "
                       "figures describe those schools, not a sample of all schools.")
VERSIONS = _("Framework versions")
VERSIONS_COMBINED = _("These figures combine assessments on framework versions {versions}, "
                      "whose questions and scores differ; break down by version to compare "
                      "like with like.")


def participation(parameters: Parameters) -> Annotations:
    """The note that the schools chose to take part (labels and assessments alike)."""
    text = CHOSE_TO_TAKE_PART(parameters.language)
    return Annotations(data={"caveats": [text]},
                       lines=[(PARTICIPATION(parameters.language), text)])


def participation_and_versions(parameters: Parameters) -> Annotations:
    """The participation note, and which framework versions the figures combine when they
    combine more than one and the breakdown does not separate them."""
    found = participation(parameters)
    versions: Sequence[str] = assessed_versions(parameters.at)
    if len(versions) < 2 or "version" in parameters.by:
        return found
    language = parameters.language
    text = VERSIONS_COMBINED(language).format(versions=", ".join(versions))
    return Annotations(data={"caveats": [*found.data["caveats"], text]},
                       lines=[*found.lines, (VERSIONS(language), text)])
