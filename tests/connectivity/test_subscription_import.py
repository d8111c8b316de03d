"""Importing a provider's connectivity feed (contracts/subscriptions.md)."""

import pytest

from ictmonitor.connectivity.importers import import_subscriptions
from ictmonitor.connectivity.models import Subscription
from ictmonitor.connectivity.services import modules_of
from ictmonitor.core.models import AuditEntry
from ictmonitor.core.problems import ImportRefused
from ictmonitor.registry.importers import import_school_list
from tests.registry.flemish_rows import row, write

pytestmark = pytest.mark.django_db

HEADER = ("provider;contract_id;schoolnummer;intern_vplnummer;offer;download_mbps;upload_mbps;"
          "modules;requested_on;started_on;ended_on")


@pytest.fixture
def schools(tmp_path):
    write(tmp_path / "schools.csv", [
        row(), row(intern_vplnummer="2", hoofdzetel="False"), row(schoolnummer="1002"),
    ])
    import_school_list(tmp_path / "schools.csv", actor="test")


def feed(tmp_path, *lines, name="feed.csv"):
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


GOOD = [
    "telenet;L1;1001;1;managed;300;30;firewall|wifi;2020-01-10;2020-02-01;",
    "telenet;L2;1001;;internet-only;100;20;;2019-05-01;2019-06-01;2021-06-30",
    "telenet;L3;1002;1;internet-only;100;20;;2020-04-01;2020-05-01;",
]


def test_a_feed_imports_with_modules_and_the_main_location_by_default(schools, tmp_path):
    run = import_subscriptions(feed(tmp_path, *GOOD), actor="telenet-feed")
    assert run.created == 3
    line = Subscription.objects.get(contract_id="L1")
    assert modules_of(line.modules) == ["firewall", "wifi"]
    assert (line.location.institution.number, line.location.number) == ("1001", "1")
    assert Subscription.objects.get(contract_id="L2").location.number == "1"


def test_the_same_feed_twice_changes_nothing(schools, tmp_path):
    import_subscriptions(feed(tmp_path, *GOOD), actor="feed")
    again = import_subscriptions(feed(tmp_path, *GOOD), actor="feed")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_a_later_delivery_replaces_the_values_and_keeps_the_history(schools, tmp_path):
    import_subscriptions(feed(tmp_path, *GOOD), actor="first")
    changed = [GOOD[0].replace("firewall|wifi", "firewall|wifi|backup-line"), *GOOD[1:]]
    run = import_subscriptions(feed(tmp_path, *changed, name="v2.csv"), actor="second")
    assert run.updated == 1
    entry = AuditEntry.objects.get(import_run=run, action="update")
    assert entry.object_key == "telenet/L1"
    assert entry.changes == {"modules": [33, 97]}


def test_a_bad_feed_is_refused_whole_naming_every_line(schools, tmp_path):
    path = feed(
        tmp_path, GOOD[0],
        "telenet;L4;1001;1;internet-only;100;20;firewall;2020-01-01;2020-02-01;",
        "telenet;L5;9999;1;internet-only;100;20;;2020-01-01;2020-02-01;",
        "telenet;L6;1001;7;internet-only;100;20;;2020-01-01;2020-02-01;",
        "telenet;L7;1001;1;managed;100;20;laser;2020-01-01;2020-02-01;",
        "telenet;L8;1001;1;managed;100;20;;2020-03-01;2020-02-01;",
        "telenet;L9;1001;1;fibre;100.5;20;;2020-01-01;2020-02-01;",
        "acme;L10;1001;1;managed;100;20;;2020-01-01;2020-02-01;",
    )
    with pytest.raises(ImportRefused) as refused:
        import_subscriptions(path, actor="feed")
    assert refused.value.problems.lines() == [  # all in one round (issue 17)
        "feed.csv:3: column modules: an internet-only line carries no modules",
        "feed.csv:4: column schoolnummer: 9999 is not a known school",
        "feed.csv:5: column intern_vplnummer: school 1001 has no location 7",
        "feed.csv:6: column modules: 'laser' is not a module; modules are firewall, "
        "web-protection, server-protection, server-network, ddos-protection, wifi, "
        "backup-line, pc-backup, server-backup, vpn",
        "feed.csv:7: column started_on: 2020-02-01 is before requested_on 2020-03-01",
        "feed.csv:8: column download_mbps: '100.5' is not a whole number",
        "feed.csv:8: column offer: 'fibre' is not one of internet-only, managed",
        "feed.csv:9: column provider: 'acme' is not a known provider",
    ]
    assert not Subscription.objects.exists()
    path = feed(tmp_path, *GOOD, "telenet;L5;9999;1;internet-only;100;20;;;;",
                "telenet;L6;1001;7;internet-only;100;20;;;;", GOOD[0], name="refs.csv")
    with pytest.raises(ImportRefused) as refused:
        import_subscriptions(path, actor="feed")
    assert refused.value.problems.lines() == [
        "refs.csv:5: column schoolnummer: 9999 is not a known school",
        "refs.csv:6: column intern_vplnummer: school 1001 has no location 7",
        "refs.csv:7: column contract_id: this line is already on line 2",
    ]
    assert not Subscription.objects.exists()


def test_a_provider_may_only_send_its_own_lines(schools, tmp_path):
    path = feed(tmp_path, GOOD[0], "proximus;P1;1001;1;internet-only;100;20;;;;")
    with pytest.raises(ImportRefused) as refused:
        import_subscriptions(path, actor="telenet", provider="telenet")
    assert refused.value.problems.lines() == [
        "feed.csv:3: column provider: 'proximus' is another provider; you may send only "
        "'telenet' lines"
    ]
