from studyapp.documents.diffing import Line, diff_lines


def line(text: str, place: str = "任务 › 专题", key: str | None = None) -> Line:
    return Line(key=key or f"k-{place}-{text}", text_key=f"t-{text}", text=text, place=place)


def test_identical_versions_have_only_unchanged_lines():
    lines = [line("甲"), line("乙")]

    diff = diff_lines(lines, list(lines))

    assert diff.counts() == {"unchanged": 2, "moved": 0, "changed": 0, "added": 0, "removed": 0}
    assert not diff.has_changes


def test_a_line_that_moves_counts_as_unchanged_and_is_listed_as_moved():
    old = [line("推动企业建会强会", "专题甲"), line("另一行内容", "专题乙")]
    new = [line("另一行内容", "专题乙"), line("推动企业建会强会", "专题乙")]

    diff = diff_lines(old, new)

    assert diff.counts()["unchanged"] == 2 and diff.counts()["moved"] == 1
    assert diff.moved[0][0].place == "专题甲" and diff.moved[0][1].place == "专题乙"


def test_an_edited_line_is_paired_with_its_old_wording():
    old = [line("推动完善社会保险法规政策体系"), line("深化安康杯竞赛")]
    new = [line("推动健全社会保险法规政策体系"), line("深化安康杯竞赛")]

    diff = diff_lines(old, new)

    assert [(o.text, n.text) for o, n in diff.changed] == [
        ("推动完善社会保险法规政策体系", "推动健全社会保险法规政策体系")
    ]
    assert not diff.added and not diff.removed


def test_unrelated_lines_are_added_and_removed_not_changed():
    old = [line("加强工会系统援藏援疆工作")]
    new = [line("开展数字素养提升行动")]

    diff = diff_lines(old, new)

    assert [n.text for n in diff.added] == ["开展数字素养提升行动"]
    assert [o.text for o in diff.removed] == ["加强工会系统援藏援疆工作"]
    assert not diff.changed


def test_each_old_line_is_paired_at_most_once():
    old = [line("推动完善社会保险法规政策体系")]
    new = [line("推动完善社会保险法规政策体系建设"), line("推动完善社会保险法规政策体系改革")]

    diff = diff_lines(old, new)

    assert len(diff.changed) == 1 and len(diff.added) == 1


def test_a_first_version_is_all_added():
    diff = diff_lines([], [line("甲"), line("乙")])

    assert diff.counts()["added"] == 2
