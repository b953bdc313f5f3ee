"""Organisations know their path from the root, so that a subtree is one indexed prefix query."""

import pytest

from studyapp.people.models import Organisation

pytestmark = pytest.mark.django_db


def tree():
    root = Organisation.objects.create(name="中华全国总工会")
    province = Organisation.objects.create(name="北京市总工会", parent=root)
    city = Organisation.objects.create(name="朝阳区总工会", parent=province)
    grassroots = Organisation.objects.create(name="某公司工会", parent=city)
    other = Organisation.objects.create(name="上海市总工会", parent=root)
    return root, province, city, grassroots, other


def test_each_organisation_has_its_path_and_depth():
    root, province, city, grassroots, _ = tree()

    assert grassroots.path == f"/{root.pk}/{province.pk}/{city.pk}/{grassroots.pk}/"
    assert (root.depth, province.depth, city.depth, grassroots.depth) == (0, 1, 2, 3)
    assert Organisation.objects.get(pk=grassroots.pk).path == grassroots.path  # stored, not only in memory


def test_a_subtree_is_the_organisation_and_everything_under_it():
    root, province, city, grassroots, other = tree()

    assert set(province.subtree()) == {province, city, grassroots}
    assert set(root.subtree()) == {root, province, city, grassroots, other}
    assert set(Organisation.objects.subtree_of([city, other])) == {city, grassroots, other}
    assert not Organisation.objects.subtree_of([]).exists()


def test_a_similar_id_prefix_is_not_a_subtree():
    # /1/ must not match /12/: the path ends each id with a slash.
    organisations = [Organisation.objects.create(name=f"工会{i}") for i in range(13)]
    first = organisations[0]

    assert set(first.subtree()) == {first}
