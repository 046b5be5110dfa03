"""How much coaching touched each item of a framework: exact counts and minutes, nothing
anyone wrote, and a cost that does not grow with the framework or the tags."""

import pytest
from django.urls import reverse

from bettertogether.directory.tests.support import count_queries
from bettertogether.goals.frameworks.plain_csv import HEADER
from bettertogether.goals.frameworks.selectors import framework_coverage
from bettertogether.goals.frameworks.services import cycle_tag, interaction_tag
from bettertogether.goals.models import FrameworkItem
from bettertogether.testing import factories as f

from .frameworks_support import import_case, import_csv
from .support import a_cycle, a_goal

MANY = 30


def _contact(cast, items, minutes, note=""):
    interaction = f.InteractionFactory(coach=cast.coach, network=cast.network,
                                       school=cast.school, minutes=minutes,
                                       teachers=[cast.teacher], shared_note=note,
                                       private_note=note)
    interaction_tag(actor=cast.coach, interaction=interaction, items=items)
    return interaction


def _numbers(framework) -> dict[str, tuple[int, int, int, int]]:
    return {row.item.code: (row.goals, row.cycles, row.interactions, row.minutes)
            for block in framework_coverage(framework=framework)
            for row in ([block.standard] if block.standard else []) + block.indicators}


def test_coverage_counts_goals_cycles_interactions_and_minutes_per_item(cast):
    framework = import_case(cast.network, cast.admin).framework
    item = {i.code: i for i in FrameworkItem.objects.all()}
    goal = a_goal(cast.coach, [cast.teacher], indicators=[item["FB.1"], item["FB.1.a"]])
    a_goal(cast.coach, [cast.teacher], indicators=[item["FB.1.a"]])
    cycle_tag(actor=cast.coach, cycle=a_cycle(cast.coach, goal), items=[item["FB.1.a"]])
    _contact(cast, [item["FB.1.a"], item["FB.2.b"]], 30)
    _contact(cast, [item["FB.1.a"]], 45)
    _contact(cast, [item["FB.2.b"]], 20)
    # Another network's framework and coaching count for it alone.
    import_case(cast.outsider_network, cast.outsider)

    assert _numbers(framework) == {
        "FB.1": (1, 0, 0, 0), "FB.1.a": (2, 1, 2, 75), "FB.1.b": (0, 0, 0, 0),
        "FB.1.c": (0, 0, 0, 0), "FB.2": (0, 0, 0, 0), "FB.2.a": (0, 0, 0, 0),
        "FB.2.b": (0, 0, 2, 50), "FB.2.b.i": (0, 0, 0, 0)}
    blocks = framework_coverage(framework=framework)
    assert [(b.standard.item.code, [r.item.code for r in b.indicators]) for b in blocks] == [
        ("FB.1", ["FB.1.a", "FB.1.b", "FB.1.c"]), ("FB.2", ["FB.2.a", "FB.2.b", "FB.2.b.i"])]


def test_framework_page_shows_counts_and_no_words_of_the_coaching(cast, client_for):
    framework = import_case(cast.network, cast.admin).framework
    item = FrameworkItem.objects.get(code="FB.1.a")
    _contact(cast, [item], 40, note="CANARY-frameworks-coverage")
    a_goal(cast.coach, [cast.teacher], indicators=[item], title="CANARY-goal-title")

    for who in ("admin", "coach", "leader"):
        response = client_for(getattr(cast, who)).get(reverse("goals:framework",
                                                              args=[framework.pk]))
        assert response.status_code == 200
        assert b"CANARY" not in response.content
        assert response.context["touched_count"] == 1
        assert (response.context["standard_count"], response.context["indicator_count"]) == (
            2, 6)


def _same_cost(client, url, grow, django_assert_num_queries):
    client.get(url)  # warm up: first-request work is not the page's cost
    one = count_queries(client, url)
    grow()
    with django_assert_num_queries(one):
        response = client.get(url)
    assert response.status_code == 200
    return response


def _csv(indicators: int) -> str:
    lines = [HEADER] + [f"Practice,P.1,A standard,P.1.{n},Indicator {n}"
                        for n in range(indicators)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("who", ["admin", "coach", "leader"])
def test_framework_page_costs_the_same_with_many_items_and_tags(
        cast, client_for, django_assert_num_queries, who):
    framework = import_csv(cast.network, cast.admin, _csv(1)).framework
    _contact(cast, [FrameworkItem.objects.get(code="P.1.0")], 10)

    def grow():
        import_csv(cast.network, cast.admin, _csv(MANY))
        items = list(FrameworkItem.objects.filter(framework=framework))
        goal = a_goal(cast.coach, [cast.teacher], indicators=items)
        cycle_tag(actor=cast.coach, cycle=a_cycle(cast.coach, goal), items=items)
        for n in range(MANY):
            _contact(cast, items[: n + 1], 5)

    response = _same_cost(client_for(getattr(cast, who)),
                          reverse("goals:framework", args=[framework.pk]), grow,
                          django_assert_num_queries)

    assert response.context["indicator_count"] == MANY
    assert response.context["touched_count"] == 1 + MANY


def test_frameworks_list_costs_the_same_with_many_frameworks(
        cast, client_for, django_assert_num_queries):
    import_csv(cast.network, cast.admin, _csv(2))

    def grow():
        for n in range(MANY):
            import_csv(cast.network, cast.admin, _csv(3).replace("Practice", f"Practice {n}"))

    response = _same_cost(client_for(cast.admin),
                          reverse("goals:frameworks", args=[cast.network.pk]), grow,
                          django_assert_num_queries)

    assert len(response.context["frameworks"]) == 1 + MANY
    assert {f.indicator_count for f in response.context["frameworks"]} == {2, 3}


def test_tag_page_costs_the_same_with_many_items(cast, client_for, django_assert_num_queries):
    import_csv(cast.network, cast.admin, _csv(1))
    contact = _contact(cast, [FrameworkItem.objects.get(code="P.1.0")], 10)

    def grow():
        import_csv(cast.network, cast.admin, _csv(MANY))
        interaction_tag(actor=cast.coach, interaction=contact,
                        items=list(FrameworkItem.objects.all()))

    response = _same_cost(client_for(cast.coach),
                          reverse("goals:interaction_tag", args=[contact.pk]), grow,
                          django_assert_num_queries)

    assert len(response.context["form"]["indicators"].value()) == 1 + MANY
