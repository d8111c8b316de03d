"""The demo's labels and assessments: the seed's 116 labels at full scale, on invented schools,
and recent assessments that show every part of the assessment pages."""

from __future__ import annotations

import pytest

from ictmonitor.assessment import selectors
from ictmonitor.assessment.importers import import_labels
from ictmonitor.assessment.models import Assessment, Label
from ictmonitor.demo.assessment import LABELS_AT, SEED_LABELS, load_assessments, write_label_file
from ictmonitor.demo.generator import generate
from ictmonitor.demo.users import demo_school
from ictmonitor.registry.importers import import_school_list
from ictmonitor.reports.definitions import Parameters
from ictmonitor.reports.engine import get_report, run_report

pytestmark = pytest.mark.django_db


def holders(at=LABELS_AT):
    result = run_report(get_report("label-holders"), Parameters(by=("province",), at=at))
    return {row["province"]: row["institutions"] for row in result.rows}


def test_the_carry_over_file_gives_the_seeds_116_labels_at_full_scale(tmp_path):
    files = generate(tmp_path, scale=1.0, seed=7)
    import_school_list(files.schools, actor="test")
    path = write_label_file(tmp_path, scale=1.0, seed=7)
    assert path.read_text(encoding="utf-8").splitlines()[0] == \
        "schoolnummer;level;awarded_on;valid_until"
    run = import_labels(path, actor="test")
    assert run.rows > 116  # and the pilot schools' labels that had lapsed by then
    assert holders() == SEED_LABELS
    assert write_label_file(tmp_path, scale=1.0, seed=7).read_bytes() == path.read_bytes()


def test_the_demo_assesses_a_share_of_its_schools_once(tmp_path):
    files = generate(tmp_path, scale=0.05, seed=3)
    import_school_list(files.schools, actor="test")
    made = load_assessments(seed=3)
    assert made.submitted > made.drafts > 0 and made.labels > 0
    assert Assessment.objects.filter(status="submitted").count() == made.submitted
    assert Label.objects.count() == made.labels
    school = demo_school()
    draft = selectors.draft_of(school)  # the next assessment, on 2.0, from migrated answers
    assert draft is not None and draft.version == "2.0" and draft.previous.version == "1.1"
    changes = selectors.changes(draft)
    assert any(c.new for c in changes) and len(selectors.levels_of(draft)) > 50
    assert school.policy_documents.count() == 1
    evidence = selectors.current_evidence(draft)  # evidence and the board's decisions
    critical = [q.code for q in selectors.framework_of(draft).questions if q.critical]
    assert all(evidence[code].complete for code in critical)
    reviews = sorted(evidence[code].review for code in critical)
    assert reviews.count("accepted") == 3 and reviews.count("returned") == 1
    assert any(item.comment and not item.complete for item in evidence.values())
    survey = selectors.staff_survey_of(draft)  # staff replied through the school's link
    assert survey is not None and survey.replies.count() >= 5
    plan = selectors.latest_submitted(school).actions
    assert plan.exclude(owner="").count() == plan.count()
    again = load_assessments(seed=3)
    assert (again.submitted, again.drafts) == (0, 0)
    assert Assessment.objects.filter(status="submitted").count() == made.submitted
