"""Bulk enrolment: staff upload a list of people (XLSX, or CSV as Excel writes it), see what it would
do row by row, and import it all or nothing.

Columns (header row 1, in any order; 学习小组 may be left out):

    姓名      the person's name (Profile.display_name), at most 100 characters
    登录名    工号 or phone number: what they sign in with (a Django username)
    身份      干部 / 工会干部 / cadre, or 会员 / member
    组织      the organisation's path from the root: 北京市总工会/朝阳区总工会/某公司工会
              (separated by / ／ > or ＞), at most 6 levels of at most 200 characters each
    学习小组  optional: a study group's name or invite code; the person is invited to it

A row is 新建 (a new login), 更新 (an existing login: name, role and organisation are replaced; the
password stays) or 有误 (with its reasons). A file is imported only when every row is accepted, in one
transaction. Missing organisations are created level by level under their parents.

New people get an unusable password and a one-time activation code (activation.py): its plaintext is
kept in EnrolmentImport.codes only until the sheet of codes is downloaded once.

Files over BACKGROUND_THRESHOLD rows import in a thread started after the request's transaction has
committed, with its own database connection (`enrolment_run` is what it runs; tests call it directly,
and under tests the thread is not started at all: SYNCHRONOUS). Limitation: the thread lives in the
web process. If that process is restarted mid-import, the import's transaction is rolled back and its
row stays RUNNING; after STALE_AFTER the page offers “重新导入”, which runs it again from the start.
While it runs, the count of rows done is kept in this process (LIVE_PROGRESS) and, on databases other
than SQLite (whose single writer is busy with the import), written to the row through a second
connection; on SQLite another web process sees only “导入中”.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import openpyxl
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..spreadsheets import Header, cell_text, declared_rows
from .activation import activation_codes_create
from .models import INVITE_LENGTH, EnrolmentImport, Invitation, Membership, Organisation, Profile, StudyGroup

logger = logging.getLogger(__name__)

MAX_ROWS = 50_000  # people in one file
MAX_BYTES = 20 * 1024 * 1024
BACKGROUND_THRESHOLD = 2_000  # larger files import in a background thread
MAX_DEPTH = 6  # levels of an organisation path
MAX_ORGANISATION_NAME = 200  # Organisation.name
MAX_NAME = 100  # Profile.display_name
CHUNK = 500  # rows written per round trip; progress is reported per chunk
STALE_AFTER = timedelta(minutes=30)  # a RUNNING import older than this may be run again

# Under tests the background thread is not started: the import runs at once, in the request.
SYNCHRONOUS: bool = bool(getattr(settings, "TESTING", False))

# Import id → rows done, for the imports running in this process.
LIVE_PROGRESS: dict[int, int] = {}

COLUMNS = ("姓名", "登录名", "身份", "组织", "学习小组")
REQUIRED = ("姓名", "登录名", "身份", "组织")
COLUMN_ALIASES = {
    "名字": "姓名",
    "工号": "登录名",
    "手机": "登录名",
    "手机号": "登录名",
    "手机号码": "登录名",
    "用户名": "登录名",
    "账号": "登录名",
    "帐号": "登录名",
    "角色": "身份",
    "所在组织": "组织",
    "工会组织": "组织",
    "所属组织": "组织",
    "小组": "学习小组",
    "学习小组邀请码": "学习小组",
}
HEADER = Header(COLUMNS, REQUIRED, COLUMN_ALIASES)
ROLE_NAMES = {
    **dict.fromkeys(("干部", "工会干部", "CADRE"), Profile.Role.CADRE),
    **dict.fromkeys(("会员", "工会会员", "MEMBER"), Profile.Role.MEMBER),
}
PATH_SEPARATOR = re.compile(r"[/／>＞]")

NEW, UPDATE, ERROR = "new", "update", "error"
ACTION_LABELS = {NEW: "新建", UPDATE: "更新", ERROR: "有误"}

UNREADABLE = "无法读取该文件：请上传 .xlsx（Excel）或 .csv 文件"


# --- Reading ---------------------------------------------------------------------------------------


@dataclass
class PersonRow:
    """One person row of the file and what importing it would do."""

    number: int  # the row as Excel numbers it (the header is row 1)
    name: str = ""
    login: str = ""
    role: str = ""
    path: tuple[str, ...] = ()
    group_text: str = ""
    group_id: int | None = None
    action: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return not self.errors

    @property
    def action_label(self) -> str:
        return ACTION_LABELS[ERROR if self.errors else self.action]

    @property
    def role_label(self) -> str:
        return str(Profile.Role(self.role).label) if self.role else ""

    @property
    def path_text(self) -> str:
        return "/".join(self.path)


@dataclass
class EnrolmentCheck:
    """What a file would import: a row per person, or the file's own errors (then no rows)."""

    rows: list[PersonRow] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    new_organisations: list[tuple[str, ...]] = field(default_factory=list)

    @property
    def refused(self) -> list[PersonRow]:
        return [row for row in self.rows if row.errors]

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if not row.errors and row.action == action)

    @property
    def ok(self) -> bool:
        """Everything can be imported as it is."""
        return not self.file_errors and bool(self.rows) and not self.refused


def _too_many(rows: int) -> str:
    return f"文件有 {rows} 行人员，超过每个文件 {MAX_ROWS} 行的上限：请拆分成几个文件分别导入。"


@dataclass
class RawTable:
    """The file's rows as text: (row number, column name → cell text), empty rows left out."""

    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def read_table(data: bytes, filename: str) -> RawTable:
    """The rows of an uploaded file; the whole file is refused, before its rows are read, when it is
    too big, of an unknown kind, or declares more than MAX_ROWS people."""
    name = filename.lower()
    if not name.endswith((".xlsx", ".csv")):
        return RawTable(errors=["只能导入 .xlsx（Excel）或 .csv 文件"])
    if len(data) > MAX_BYTES:
        return RawTable(errors=[f"文件超过 {MAX_BYTES // (1024 * 1024)} MB，请拆分后再导入"])
    declared = declared_rows(data, csv=name.endswith(".csv"))
    if declared is not None and declared - 1 > MAX_ROWS:
        return RawTable(errors=[_too_many(declared - 1)])
    lines = _csv_lines(data) if name.endswith(".csv") else _xlsx_lines(data)
    if lines is None:
        return RawTable(
            errors=[UNREADABLE if name.endswith(".xlsx") else "无法识别 CSV 文件的编码：请用 UTF-8 或 GBK 保存"]
        )
    return _table(lines)


def _xlsx_lines(data: bytes) -> Iterator[list[str]] | None:
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # a damaged or foreign file fails in many ways (zip, XML, KeyError…)
        return None
    if not workbook.worksheets:
        return None
    sheet = workbook.worksheets[0]  # the first, not the active one: it may have been saved on 填写说明

    def lines() -> Iterator[list[str]]:
        try:
            for values in sheet.iter_rows(values_only=True):
                yield [cell_text(value) for value in values]
        finally:
            workbook.close()

    return lines()


def _csv_lines(data: bytes) -> Iterator[list[str]] | None:
    for encoding in ("utf-8-sig", "gb18030"):  # Excel writes UTF-8 with a BOM, or GBK (gb18030 ⊃ GBK)
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        first = text.split("\n", 1)[0]
        delimiter = "\t" if "\t" in first and "," not in first else ","
        return ([cell.strip() for cell in line] for line in csv.reader(io.StringIO(text), delimiter=delimiter))
    return None


def _table(lines: Iterator[list[str]]) -> RawTable:
    try:
        header = next(lines)
    except StopIteration:
        return RawTable(errors=["文件是空的：第1行应是表头"])
    except Exception:
        return RawTable(errors=[UNREADABLE])
    columns, errors = HEADER.read(enumerate(header))
    if errors:
        return RawTable(errors=errors)
    table = RawTable()
    try:
        for number, cells in enumerate(lines, start=2):
            values = {name: cells[index] if index < len(cells) else "" for index, name in columns.items()}
            if not any(values.values()):
                continue
            table.rows.append((number, values))
            if len(table.rows) > MAX_ROWS:  # the declared size may be missing or wrong
                return RawTable(errors=[_too_many(len(table.rows))])
    except (csv.Error, Exception) as error:  # a broken CSV quote, a damaged sheet
        logger.info("人员名单文件无法读取：%s", error)
        return RawTable(errors=[UNREADABLE])
    if not table.rows:
        return RawTable(errors=["没有人员行：请从第2行起填写（第1行是表头）"])
    return table


# --- Checking ----------------------------------------------------------------------------------------


def _login_problem(login: str) -> str | None:
    username = get_user_model()._meta.get_field("username")
    if len(login) > (username.max_length or 150):
        return f"登录名过长（最多 {username.max_length} 个字符）"
    for validator in username.validators:
        try:
            validator(login)
        except ValidationError:
            return f"登录名“{login}”含有不允许的字符：只能用字母、数字、汉字和 @ . + - _"
    return None


def _path(text: str) -> tuple[tuple[str, ...], list[str]]:
    if not text:
        return (), ["请填写组织（从最上级写起，用 / 分隔，如 北京市总工会/朝阳区总工会/某公司工会）"]
    parts = tuple(part.strip() for part in PATH_SEPARATOR.split(text))
    errors = []
    if any(not part for part in parts):
        errors.append(f"组织“{text}”中有空的一级：检查是否多了或少了分隔符 /")
    if len(parts) > MAX_DEPTH:
        errors.append(f"组织最多 {MAX_DEPTH} 级，“{text}”有 {len(parts)} 级")
    errors += [
        f"组织名称不能超过 {MAX_ORGANISATION_NAME} 个字：“{part[:20]}…”"
        for part in parts
        if len(part) > MAX_ORGANISATION_NAME
    ]
    return parts, errors


class _Groups:
    """Study groups by invite code and by name (a name that several groups share must be a code)."""

    def __init__(self, texts: Iterable[str]) -> None:
        wanted = {text for text in texts if text}
        codes = {_invite_code(text) for text in wanted} - {""}
        self.by_code = dict(StudyGroup.objects.filter(invite_code__in=codes).values_list("invite_code", "pk"))
        self.by_name: dict[str, list[int]] = {}
        for pk, name in StudyGroup.objects.filter(name__in=wanted).values_list("pk", "name"):
            self.by_name.setdefault(name, []).append(pk)

    def find(self, text: str) -> tuple[int | None, str | None]:
        code = _invite_code(text)
        if code in self.by_code:
            return self.by_code[code], None
        found = self.by_name.get(text, [])
        if len(found) == 1:
            return found[0], None
        if found:
            return None, f"有 {len(found)} 个学习小组都叫“{text}”：请改填小组的邀请码"
        return None, f"找不到学习小组“{text}”：请填写小组名称或邀请码"


def _invite_code(text: str) -> str:
    code = "".join(char for char in text.upper() if char.isalnum())
    return code if len(code) == INVITE_LENGTH else ""


class OrganisationTree:
    """The organisation tree as (parent id, name) → id, loaded once, to place paths in it."""

    def __init__(self) -> None:
        self.ids: dict[tuple[int | None, str], int] = {}
        for pk, parent_id, name in Organisation.objects.order_by("-pk").values_list("pk", "parent_id", "name"):
            self.ids[(parent_id, name)] = pk  # the oldest of two roots with one name wins

    def find(self, path: tuple[str, ...]) -> int | None:
        parent: int | None = None
        for name in path:
            found = self.ids.get((parent, name))
            if found is None:
                return None
            parent = found
        return parent

    def missing(self, paths: Iterable[tuple[str, ...]]) -> list[tuple[str, ...]]:
        """The organisations (as paths) that `paths` need and the tree lacks, parents first."""
        missing: set[tuple[str, ...]] = set()
        for path in paths:
            for depth in range(1, len(path) + 1):
                if self.find(path[:depth]) is None:
                    missing.update(path[:level] for level in range(depth, len(path) + 1))
                    break
        return sorted(missing, key=lambda path: (len(path), path))


def check_table(table: RawTable) -> EnrolmentCheck:
    """Every row checked, against the file's other rows and the database (which it only reads)."""
    if table.errors:
        return EnrolmentCheck(file_errors=table.errors)
    User = get_user_model()
    groups = _Groups(values.get("学习小组", "") for _number, values in table.rows)
    rows: list[PersonRow] = []
    seen: dict[str, list[int]] = {}
    for number, values in table.rows:
        row = PersonRow(number=number)
        row.name = " ".join(values["姓名"].split())
        if not row.name:
            row.errors.append("请填写姓名")
        elif len(row.name) > MAX_NAME:
            row.errors.append(f"姓名过长（最多 {MAX_NAME} 个字）")
        row.login = unicodedata.normalize("NFKC", values["登录名"]).strip()
        if not row.login:
            row.errors.append("请填写登录名（工号或手机号）")
        else:
            problem = _login_problem(row.login)
            if problem:
                row.errors.append(problem)
            seen.setdefault(row.login.casefold(), []).append(number)
        role_text = values["身份"].strip()
        role = ROLE_NAMES.get(unicodedata.normalize("NFKC", role_text).upper())
        if role is None:
            row.errors.append(
                f"身份“{role_text}”无法识别：请填写 干部 或 会员" if role_text else "请填写身份（干部 或 会员）"
            )
        else:
            row.role = role
        row.path, errors = _path(values["组织"].strip())
        row.errors += errors
        row.group_text = values.get("学习小组", "").strip()
        if row.group_text:
            row.group_id, problem = groups.find(row.group_text)
            if problem:
                row.errors.append(problem)
        rows.append(row)
    for row in rows:
        numbers = seen.get(row.login.casefold(), [])
        if len(numbers) > 1:
            others = "、".join(str(n) for n in numbers if n != row.number)
            row.errors.append(f"登录名“{row.login}”在文件中重复（另见第 {others} 行）")
    existing: dict[str, bool] = {}
    logins = [row.login for row in rows if row.login]
    for start in range(0, len(logins), CHUNK):
        found = User.objects.filter(username__in=logins[start : start + CHUNK])
        existing.update(
            {
                username: staff or superuser
                for username, staff, superuser in found.values_list("username", "is_staff", "is_superuser")
            }
        )
    for row in rows:
        if row.login in existing:
            row.action = UPDATE
            if existing[row.login]:
                row.errors.append(f"“{row.login}”是管理员账号，不能通过导入修改")
        else:
            row.action = NEW
    tree = OrganisationTree()
    new_organisations = tree.missing(row.path for row in rows if row.path and not row.errors)
    return EnrolmentCheck(rows=rows, new_organisations=new_organisations)


def check_file(data: bytes, filename: str) -> EnrolmentCheck:
    return check_table(read_table(data, filename))


# --- Uploading and starting ----------------------------------------------------------------------------


def enrolment_upload(*, data: bytes, filename: str, user: User) -> tuple[EnrolmentImport, EnrolmentCheck]:
    """Keep an uploaded file and check it; nothing is imported until `enrolment_start`.

    Raises ValidationError (and keeps nothing) for a file refused as a whole."""
    checked = check_file(data, filename)
    if checked.file_errors:
        raise ValidationError(checked.file_errors)
    enrolment = EnrolmentImport.objects.create(
        filename=filename[:200],
        data=data,
        sha256=EnrolmentImport.digest(data),
        uploaded_by=user,
        rows=len(checked.rows),
        refused=len(checked.refused),
    )
    return enrolment, checked


def enrolment_check(enrolment: EnrolmentImport) -> EnrolmentCheck:
    return check_file(bytes(enrolment.data), enrolment.filename)


def in_background(enrolment: EnrolmentImport) -> bool:
    return enrolment.rows > BACKGROUND_THRESHOLD


def enrolment_start(*, enrolment: EnrolmentImport) -> EnrolmentImport:
    """Queue a checked (or failed, or stalled) import and run it: at once, in this request, for a small
    file (or under tests); else in a thread started once the queueing has committed. ValidationError
    when it cannot be started (imported already, or running)."""
    enrolment, background = _queue(enrolment)
    if background:
        return enrolment
    return enrolment_run(enrolment.pk) or enrolment


@transaction.atomic
def _queue(enrolment: EnrolmentImport) -> tuple[EnrolmentImport, bool]:
    enrolment = EnrolmentImport.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status == EnrolmentImport.Status.DONE:
        raise ValidationError("这个文件已经导入过了。")
    if enrolment.refused:
        raise ValidationError("文件中还有错误的行，请改正后重新上传；没有导入任何人员。")
    if enrolment.status in (EnrolmentImport.Status.QUEUED, EnrolmentImport.Status.RUNNING) and not is_stale(enrolment):
        raise ValidationError("这个文件正在导入，请稍候。")
    enrolment.status, enrolment.message = EnrolmentImport.Status.QUEUED, ""
    enrolment.started_at, enrolment.finished_at, enrolment.processed = timezone.now(), None, 0
    enrolment.save(update_fields=["status", "message", "started_at", "finished_at", "processed"])
    background = in_background(enrolment) and not SYNCHRONOUS
    if background:
        import_id = enrolment.pk
        transaction.on_commit(lambda: _thread_start(import_id))
    return enrolment, background


def is_stale(enrolment: EnrolmentImport, now: Any = None) -> bool:
    """Queued or running for longer than STALE_AFTER, and not running in this process: the web
    process that ran it has probably been restarted."""
    if enrolment.status not in (EnrolmentImport.Status.QUEUED, EnrolmentImport.Status.RUNNING):
        return False
    if enrolment.pk in LIVE_PROGRESS:
        return False
    started = enrolment.started_at or enrolment.uploaded_at
    return started < (now or timezone.now()) - STALE_AFTER


def _thread_start(import_id: int) -> None:
    threading.Thread(target=_thread_main, args=(import_id,), name=f"enrolment-{import_id}", daemon=True).start()


def _thread_main(import_id: int) -> None:
    try:
        enrolment_run(import_id)
    finally:
        connections.close_all()  # this thread's own connections


# --- Running ---------------------------------------------------------------------------------------------


class _Progress:
    """Rows done: kept in this process, and on databases other than SQLite written to the import's row
    through a second connection (the import's own transaction commits only at the end)."""

    def __init__(self, import_id: int) -> None:
        self.import_id = import_id
        self.side = connections.create_connection(DEFAULT_DB_ALIAS) if connection.vendor != "sqlite" else None
        LIVE_PROGRESS[import_id] = 0

    def __call__(self, processed: int) -> None:
        LIVE_PROGRESS[self.import_id] = processed
        if self.side is not None:
            try:
                with self.side.cursor() as cursor:
                    cursor.execute(
                        f"UPDATE {EnrolmentImport._meta.db_table} SET processed = %s WHERE id = %s",
                        [processed, self.import_id],
                    )
            except Exception:  # progress is a nicety: never fail the import for it
                logger.exception("人员导入进度未能写入（导入照常进行）")

    def close(self) -> None:
        LIVE_PROGRESS.pop(self.import_id, None)
        if self.side is not None:
            self.side.close()


def enrolment_run(import_id: int) -> EnrolmentImport | None:
    """Import a queued file: claim it (QUEUED → RUNNING, committed), then import it in one transaction.
    On any error nothing is imported and the row is FAILED with a message in Chinese. None when the
    import was not queued (another run has it)."""
    now = timezone.now()
    claimed = EnrolmentImport.objects.filter(pk=import_id, status=EnrolmentImport.Status.QUEUED).update(
        status=EnrolmentImport.Status.RUNNING, started_at=now, processed=0
    )
    if not claimed:
        return None
    enrolment = EnrolmentImport.objects.get(pk=import_id)
    progress = _Progress(import_id)
    try:
        with transaction.atomic():
            created, updated, codes = enrolment_import(enrolment, progress=progress)
            enrolment.status, enrolment.processed = EnrolmentImport.Status.DONE, enrolment.rows
            enrolment.created, enrolment.updated, enrolment.codes = created, updated, codes
            enrolment.finished_at, enrolment.message = timezone.now(), ""
            enrolment.save(
                update_fields=["status", "processed", "created", "updated", "codes", "finished_at", "message"]
            )
    except Exception as error:
        if isinstance(error, ValidationError):
            message = " ".join(error.messages)
        else:
            logger.exception("人员导入 %s 失败，没有导入任何人员", import_id)
            message = "导入时出错，没有导入任何人员。请稍后点“重新导入”再试；如果仍然失败，请联系系统管理员。"
        EnrolmentImport.objects.filter(pk=import_id).update(
            status=EnrolmentImport.Status.FAILED, message=message[:500], finished_at=timezone.now(), processed=0
        )
    finally:
        progress.close()
    enrolment.refresh_from_db()
    return enrolment


def organisations_ensure(paths: Iterable[tuple[str, ...]]) -> dict[tuple[str, ...], int]:
    """Every organisation on `paths`, created where missing, level by level: per level one query for
    those that exist and one bulk insert for the rest (get-or-create by (parent, name)); then their
    paths are set as Organisation.save would. Path → id."""
    wanted = {path[:depth] for path in paths for depth in range(1, len(path) + 1)}
    ids: dict[tuple[str, ...], int] = {}
    for depth in range(1, MAX_DEPTH + 1):
        level = sorted(path for path in wanted if len(path) == depth)
        if not level:
            break
        parents = {ids[path[:-1]] for path in level if depth > 1}
        existing = Organisation.objects.filter(name__in={path[-1] for path in level})
        existing = existing.filter(parent_id__in=parents) if depth > 1 else existing.filter(parent__isnull=True)
        found = {
            (parent_id, name): pk
            for pk, parent_id, name in existing.order_by("-pk").values_list("pk", "parent_id", "name")
        }
        missing = []
        for path in level:
            parent_id = ids[path[:-1]] if depth > 1 else None
            if (parent_id, path[-1]) in found:
                ids[path] = found[(parent_id, path[-1])]
            else:
                missing.append((path, parent_id))
        if not missing:
            continue
        Organisation.objects.bulk_create(
            [Organisation(name=path[-1], parent_id=parent_id) for path, parent_id in missing]
        )
        created = Organisation.objects.filter(name__in={path[-1] for path, _parent in missing}, path="")
        by_key = {(org.parent_id, org.name): org for org in created}
        parent_paths = dict(Organisation.objects.filter(pk__in=parents).values_list("pk", "path")) if parents else {}
        for path, parent_id in missing:
            org = by_key[(parent_id, path[-1])]
            org.path = f"{parent_paths[parent_id] if parent_id else '/'}{org.pk}/"
            org.depth = org.path.count("/") - 2
            ids[path] = org.pk
        Organisation.objects.bulk_update(list(by_key.values()), ["path", "depth"], batch_size=CHUNK)
    return ids


def enrolment_import(
    enrolment: EnrolmentImport, *, progress: Callable[[int], None] = lambda processed: None
) -> tuple[int, int, dict[str, str]]:
    """Import the file of `enrolment`, inside the caller's transaction: (created, updated, login → code).

    Raises ValidationError when the file (checked again, against the database as it is now) has an
    error; the caller's transaction then rolls back whatever was written."""
    checked = enrolment_check(enrolment)
    if not checked.ok:
        raise ValidationError(
            "文件中有错误（可能是导入前数据有了变化），没有导入任何人员：请打开预览查看，改正后重新上传。"
        )
    User = get_user_model()
    organisations = organisations_ensure(row.path for row in checked.rows)
    inviter_id = enrolment.uploaded_by_id
    created = updated = 0
    codes: dict[str, str] = {}
    for start in range(0, len(checked.rows), CHUNK):
        rows = checked.rows[start : start + CHUNK]
        logins = [row.login for row in rows]
        users = {user.username: user for user in User.objects.filter(username__in=logins)}
        new = [row for row in rows if row.login not in users]
        User.objects.bulk_create(
            [User(username=row.login, password=make_password(None), is_active=True) for row in new],
            batch_size=CHUNK,
        )
        users.update({user.username: user for user in User.objects.filter(username__in=[row.login for row in new])})
        profiles = {profile.user_id: profile for profile in Profile.objects.filter(user__in=users.values())}
        to_create: list[Profile] = []
        to_update: list[Profile] = []
        for row in rows:
            user = users[row.login]
            profile = profiles.get(user.pk) or Profile(user=user)
            profile.display_name, profile.role, profile.organisation_id = row.name, row.role, organisations[row.path]
            (to_update if profile.pk else to_create).append(profile)
        Profile.objects.bulk_create(to_create, batch_size=CHUNK)
        Profile.objects.bulk_update(to_update, ["display_name", "role", "organisation"], batch_size=CHUNK)
        codes.update(activation_codes_create([users[row.login] for row in new], enrolment=enrolment))
        _invitations_create(rows, users, inviter_id)
        created += len(new)
        updated += len(rows) - len(new)
        progress(start + len(rows))
    return created, updated, codes


def _invitations_create(rows: list[PersonRow], users: dict[str, Any], inviter_id: int | None) -> None:
    """A pending invitation (as a learner) to each row's study group, by the same rules as
    services.invitation_create: none for a person already in the group or already invited to it."""
    wanted = {(row.group_id, users[row.login].pk) for row in rows if row.group_id is not None}
    if not wanted:
        return
    user_ids = {user_id for _group, user_id in wanted}
    group_ids = {group_id for group_id, _user in wanted}
    members = set(
        Membership.objects.filter(user_id__in=user_ids, group_id__in=group_ids).values_list("group_id", "user_id")
    )
    invited = set(
        Invitation.objects.pending()
        .filter(user_id__in=user_ids, group_id__in=group_ids)
        .values_list("group_id", "user_id")
    )
    Invitation.objects.bulk_create(
        [
            Invitation(group_id=group_id, user_id=user_id, role=Membership.Role.MEMBER, invited_by_id=inviter_id)
            for group_id, user_id in sorted(wanted - members - invited)
        ],
        batch_size=CHUNK,
    )


# --- The sheet of activation codes ----------------------------------------------------------------------


@transaction.atomic
def codes_take(*, enrolment: EnrolmentImport) -> bytes:
    """The sheet of the import's activation codes (姓名, 登录名, 组织, 激活码), once: the codes are
    cleared as it is made. ValidationError when they were taken already or there are none."""
    enrolment = EnrolmentImport.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status != EnrolmentImport.Status.DONE:
        raise ValidationError("导入完成后才能下载激活码表。")
    if enrolment.codes_taken_at is not None:
        taken = timezone.localtime(enrolment.codes_taken_at).strftime("%Y-%m-%d %H:%M")
        raise ValidationError(
            f"激活码表已于 {taken} 下载过，激活码只能下载一次。如有人遗失激活码，请用“重新生成激活码”为他单独生成。"
        )
    if not enrolment.codes:
        raise ValidationError("这次导入没有新建人员，没有激活码。")
    sheet = codes_workbook(enrolment.codes)
    enrolment.codes, enrolment.codes_taken_at = {}, timezone.now()
    enrolment.save(update_fields=["codes", "codes_taken_at"])
    return sheet


def organisation_names(organisation_ids: Iterable[int | None]) -> dict[int, str]:
    """Organisation id → its full path of names (北京市总工会/朝阳区总工会/某公司工会)."""
    paths = dict(Organisation.objects.filter(pk__in={pk for pk in organisation_ids if pk}).values_list("pk", "path"))
    ancestors = {int(part) for path in paths.values() for part in path.strip("/").split("/") if part}
    names = dict(Organisation.objects.filter(pk__in=ancestors).values_list("pk", "name"))
    return {
        pk: "/".join(names.get(int(part), "?") for part in path.strip("/").split("/") if part)
        for pk, path in paths.items()
    }


CODE_COLUMNS = ("姓名", "登录名", "组织", "激活码")


def codes_workbook(codes: dict[str, str]) -> bytes:
    """An .xlsx sheet of people and their codes, ordered by organisation then name."""
    logins = list(codes)
    profiles: list[Profile] = []
    for start in range(0, len(logins), CHUNK):
        profiles += Profile.objects.filter(user__username__in=logins[start : start + CHUNK]).select_related("user")
    organisations = organisation_names(profile.organisation_id for profile in profiles)
    lines = sorted(
        (organisations.get(profile.organisation_id or 0, ""), profile.display_name, profile.user.username)
        for profile in profiles
    )
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("激活码")
    for column, width in zip("ABCD", (14, 18, 40, 20), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.append(list(CODE_COLUMNS))
    for organisation, name, login in lines:
        sheet.append([name, login, organisation, code_display(codes[login])])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def code_display(code: str) -> str:
    """ABCD-EFGH-JKMN: easier to read out and to type."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


# --- The template --------------------------------------------------------------------------------------

EXAMPLES = [
    ("张三", "13800000001", "会员", "北京市总工会/朝阳区总工会/某公司工会", ""),
    ("李四", "A00123", "干部", "北京市总工会/朝阳区总工会", ""),
]
GUIDE = [
    ("填写说明", ""),
    ("", ""),
    ("列", "说明"),
    ("姓名", "必填。本人姓名，最多 100 个字。"),
    (
        "登录名",
        "必填。工号或手机号，本人用它登录。只能用字母、数字、汉字和 @ . + - _，最多 150 个字符；同一文件中不能重复。已有的登录名会更新姓名、身份和组织（密码不变）。",
    ),
    ("身份", "必填。干部（或 工会干部）或 会员。"),
    (
        "组织",
        "必填。从最上级写起的组织路径，用 / 分隔，如 北京市总工会/朝阳区总工会/某公司工会。最多 6 级，每级名称最多 200 个字。没有的组织会自动建立。",
    ),
    ("学习小组", "选填。学习小组的名称或邀请码：导入后本人会收到加入该小组的邀请，登录后自己决定是否接受。"),
    ("", ""),
    ("其他", f"第1行是表头，从第2行起每行一人；每个文件最多 {MAX_ROWS} 人。也可以另存为 CSV（UTF-8 或 GBK）上传。"),
    ("", "上传后会先逐行检查，全部无误才能导入；导入要么全部完成，要么一个也不导入。"),
    (
        "",
        "新建的人员会得到一次性激活码：导入后请下载激活码表（只能下载一次），把激活码发给本人，本人在登录页点“首次登录？用激活码设置密码”。",
    ),
]


def template_workbook() -> bytes:
    """The .xlsx template staff download: the header, two example rows, and a 填写说明 sheet."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "人员"
    sheet.append(list(COLUMNS))
    for example in EXAMPLES:
        sheet.append(list(example))
    fill = PatternFill("solid", fgColor="DDEBF7")
    for column, width in enumerate((12, 18, 10, 48, 20), start=1):
        cell = sheet.cell(row=1, column=column)
        cell.font, cell.fill = Font(bold=True), fill
        sheet.column_dimensions[get_column_letter(column)].width = width
    for line in range(2, 1002):  # 登录名 as text: a phone number must not become 1.38E+10
        sheet[f"B{line}"].number_format = "@"
    sheet.freeze_panes = "A2"
    guide = workbook.create_sheet("填写说明")
    for guide_line in GUIDE:
        guide.append(list(guide_line))
    guide["A1"].font = Font(bold=True, size=14)
    guide.column_dimensions["A"].width = 12
    guide.column_dimensions["B"].width = 100
    for row in guide.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
