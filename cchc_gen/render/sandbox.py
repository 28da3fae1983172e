"""The Jinja sandbox of cchc_gen, bounded in work and size.

Jinja's sandbox keeps a template away from Python's internals, but not from the machine's time and memory:
two nested ``range`` loops run for hours, ``'a' * 10**10`` takes ten gigabytes, a string doubled forty times
a terabyte, a macro calling itself ends in RecursionError. Templates travel by email and USB stick, so here
every render has a budget:

- steps: each loop iteration and each call counts one (:data:`MAX_STEPS`);
- depth of calls (macros, recursive loops: :data:`MAX_CALL_DEPTH`);
- size of any one value made by an operator, a method or a filter (:data:`MAX_TEXT`), checked before it
  is made where its size can be told beforehand (``*``, ``+``, widths, counts), after otherwise;
- characters produced, into the report or into a variable: every ``{{ … }}`` output and the text of every
  loop iteration (:data:`MAX_OUTPUT`);
- numbers: an integer of more than :data:`MAX_INTEGER_BITS` bits, a power that large.

Past a bound the render stops with :class:`TemplateRefused`, in Vietnamese with a fix, located at its
template paragraph like any template error. A template may not include, import or extend another one
(there is no loader: the template is the Word file), and the sandbox's own refusals are in Vietnamese too.
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from jinja2 import Template, nodes, pass_environment
from jinja2.exceptions import SecurityError, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.runtime import Context, LoopContext
from jinja2.sandbox import SandboxedEnvironment
from jinja2.visitor import NodeTransformer

from cchc_gen.vn.numbers import format_number

MAX_STEPS = 1_000_000
MAX_CALL_DEPTH = 40
MAX_TEXT = 10_000_000
MAX_OUTPUT = 50_000_000
MAX_RANGE = 100_000
MAX_INTEGER_BITS = 10_000

_STEPS = "cchc_steps"
_SIZED = "cchc_sized"
_NO_LOADER = (nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)
_WIDTH_METHODS = {"ljust", "rjust", "center", "zfill"}
# A printf-style conversion: its width and precision ('*' takes them from the arguments).
_PERCENT = re.compile(r"%(?:\([^)]*\))?[-+ #0]*(\*|\d*)(?:\.(\*|\d*))?[a-zA-Z%]")
_SYNTAX = (
    "Sửa thẻ theo cú pháp {{ tên.trường }} hoặc {%p lệnh … %}; chạy cchc template check để xem mọi lỗi "
    "của mẫu."
)
_SIMPLER = "Viết mẫu đơn giản hơn: mẫu chỉ cần in các trường dữ liệu, lặp qua các danh sách của dữ liệu."


# What a template can raise while it is rendered: Jinja's errors, and those of the filters and operators
# it calls (a number filter given text, a division by zero, a value of the wrong type).
RENDER_ERRORS = (
    TemplateError,
    ArithmeticError,
    ValueError,
    TypeError,
    LookupError,
    RecursionError,
    MemoryError,
)


def explain(exc: Exception) -> tuple[str, str]:
    """A template error as a clerk or maintainer reads it: what is wrong, and how to fix it."""
    if isinstance(exc, UndefinedError):
        return (
            f"Thiếu dữ liệu: {exc.message}",
            "Bổ sung trường này vào dữ liệu, hoặc sửa tên trường trong mẫu cho đúng.",
        )
    if isinstance(exc, TemplateRefused):
        return f"Lỗi trong mẫu: {exc.message}", exc.fix
    if isinstance(exc, RecursionError | MemoryError):
        refused = TemplateRefused("mẫu gọi lồng nhau quá sâu hoặc tạo ra giá trị quá lớn")
        return f"Lỗi trong mẫu: {refused.message}", refused.fix
    if isinstance(exc, TemplateSyntaxError):
        return f"Lỗi trong mẫu: {exc.message}", getattr(exc, "fix", _SYNTAX)
    if isinstance(exc, TemplateError):
        return f"Lỗi trong mẫu: {exc.message}", "Sửa thẻ này trong mẫu; chạy cchc template check để kiểm tra."
    return (
        f"Lỗi trong mẫu: {exc}",
        "Kiểm tra thẻ này trong mẫu: bộ lọc và phép tính phải dùng với giá trị đúng kiểu (ví dụ bộ lọc so "
        "chỉ dùng với số).",
    )


class TemplateRefused(SecurityError):
    """A template doing what no report needs (unbounded work or size, Python internals); ``fix`` says
    what to do instead, in Vietnamese. Internal: it stops Jinja, and :func:`explain` turns it into the
    message of the :class:`~cchc_gen.errors.TemplateProblem` the user reads."""

    fix = _SIMPLER

    def __init__(self, message: str, fix: str | None = None) -> None:
        super().__init__(message)
        if fix:
            self.fix = fix


class _InternalsRefused(TemplateRefused):
    fix = "Xóa phần bắt đầu bằng '_' khỏi thẻ; mẫu chỉ dùng các trường dữ liệu và bộ lọc của cchc."


@dataclass
class _Budget:
    steps: int = 0
    depth: int = 0
    produced: int = 0

    def step(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise TemplateRefused(
                f"mẫu lặp hoặc gọi quá {format_number(MAX_STEPS)} lần khi dựng một báo cáo "
                "(vòng lặp lồng nhau?)"
            )

    def produce(self, size: int) -> None:
        self.produced += size
        if self.produced > MAX_OUTPUT:
            raise TemplateRefused(
                f"mẫu tạo ra quá {MAX_OUTPUT // 1_000_000} triệu ký tự khi dựng một báo cáo "
                "(vòng lặp in ra quá nhiều?)"
            )


def _too_long(size: int) -> TemplateRefused:
    return TemplateRefused(
        f"mẫu tạo ra một giá trị dài {format_number(size)} ký tự, quá giới hạn {format_number(MAX_TEXT)}"
    )


def _check_size(value: Any) -> Any:
    if isinstance(value, str | list | tuple | dict | set | frozenset) and len(value) > MAX_TEXT:
        raise _too_long(len(value))
    if isinstance(value, int) and value.bit_length() > MAX_INTEGER_BITS:
        raise TemplateRefused(f"mẫu tạo ra một số có hơn {MAX_INTEGER_BITS * 3 // 10} chữ số")
    return value


def _check_width(width: Any) -> None:
    if isinstance(width, int) and width > MAX_TEXT:
        raise _too_long(width)


def _check_percent(template: str) -> None:
    """Refuse a printf-style template whose widths are too large or taken from the values."""
    for conversion in _PERCENT.finditer(template):
        for size in conversion.groups():
            if size == "*":
                raise TemplateRefused("mẫu định dạng với độ rộng lấy từ giá trị (%*)")
            if size:
                _check_width(int(size))


def _check_format(template: str) -> None:
    """Refuse a str.format template whose widths are too large or taken from the values."""
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError:
        return  # str.format says what is wrong
    for _, _, spec, _ in fields:
        if spec and "{" in spec:
            raise TemplateRefused("mẫu định dạng với độ rộng lấy từ giá trị ({:{…}})")
        for digits in re.findall(r"\d+", spec or ""):
            _check_width(int(digits))


def _expected_length(method: Any, args: tuple[Any, ...]) -> int:
    """The length of what a str method returns, told before it runs, for those that can grow a string."""
    text, name = method.__self__, method.__name__
    if name in _WIDTH_METHODS and args and isinstance(args[0], int):
        return args[0]
    if name == "expandtabs":
        tab = args[0] if args and isinstance(args[0], int) else 8
        return len(text) + text.count("\t") * max(tab, 0)
    if name == "replace" and len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], str):
        old, new = args[0], args[1]
        return len(text) + (text.count(old) if old else len(text) + 1) * len(new)
    return 0


@pass_environment
def _steps(env: BoundedEnvironment, iterable: Iterable[Any], text_per_step: int = 0) -> Iterator[Any]:
    """A loop's items, each counted as a step with the template text it writes."""
    budget = env.budget
    for item in iterable:
        budget.step()
        budget.produce(text_per_step)
        yield item


def _sized(value: Any) -> Any:
    return _check_size(value)


@pass_environment
def _finalize(env: BoundedEnvironment, value: Any) -> Any:
    """Every ``{{ … }}`` output, counted (at compile time, for constants, there is no render to count)."""
    if env.budget_active:
        env.budget.produce(len(value) if isinstance(value, str) else len(str(value)))
    return value


def _checked_filter(check: Callable[..., None], filter_function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(filter_function)
    def checked(*args: Any, **kwargs: Any) -> Any:
        check(*args, **kwargs)
        return _check_size(filter_function(*args, **kwargs))

    return checked


def _width_argument(position: int, name: str) -> Callable[..., None]:
    def check(*args: Any, **kwargs: Any) -> None:
        width = args[position] if len(args) > position else kwargs.get(name)
        if isinstance(width, str):
            width = len(width)
        _check_width(width)
        if isinstance(width, int) and args and isinstance(args[0], str):
            _check_width(width * (args[0].count("\n") + 1))

    return check


def _format_arguments(value: Any, *args: Any, **kwargs: Any) -> None:
    if isinstance(value, str):
        _check_percent(value)


def _replace_arguments(value: Any, old: Any = "", new: Any = "", count: Any = None) -> None:
    if isinstance(value, str) and isinstance(old, str) and isinstance(new, str):
        _check_width(_expected_length(value.replace, (old, new)))


# Builtin filters that can make a huge value from a small one, and the argument that says how huge.
_CHECKED_FILTERS = {
    "center": _width_argument(1, "width"),
    "indent": _width_argument(1, "width"),
    "batch": _width_argument(1, "linecount"),
    "slice": _width_argument(1, "slices"),
    "format": _format_arguments,
    "replace": _replace_arguments,
}


class _Bounds(NodeTransformer):
    """Each loop's items counted (with the template text of one iteration), each ``~`` measured."""

    def visit_For(self, node: nodes.For) -> nodes.For:
        self.generic_visit(node)
        text = sum(len(data.data) for data in _own_template_data(node))
        node.iter = nodes.Filter(node.iter, _STEPS, [nodes.Const(text)], [], None, None, lineno=node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Filter:
        self.generic_visit(node)
        return nodes.Filter(node, _SIZED, [], [], None, None, lineno=node.lineno)


def _own_template_data(loop: nodes.For) -> Iterator[nodes.TemplateData]:
    """The template text of a loop's body, without that of the loops inside it (they count their own)."""
    pending: list[nodes.Node] = [*loop.body, *loop.else_]
    while pending:
        node = pending.pop()
        if isinstance(node, nodes.TemplateData):
            yield node
        elif not isinstance(node, nodes.For):
            pending.extend(node.iter_child_nodes())


class BoundedTemplate(Template):
    """A template whose every render has its own budget."""

    environment: BoundedEnvironment

    def render(self, *args: Any, **kwargs: Any) -> str:
        env = self.environment
        outer, outer_active = env.budget, env.budget_active
        env.budget, env.budget_active = _Budget(), True
        try:
            return super().render(*args, **kwargs)
        finally:
            env.budget, env.budget_active = outer, outer_active


# What a dict has as attributes (its methods), which Jinja finds before its keys; a set, since asking
# hasattr() of a name a dict does not have raises and catches an AttributeError inside.
_DICT_ATTRIBUTES = frozenset(dir(dict))


class BoundedEnvironment(SandboxedEnvironment):
    """The sandbox with a budget per render; see the module's docstring."""

    intercepted_binops = frozenset(SandboxedEnvironment.default_binop_table)
    template_class = BoundedTemplate

    def __init__(self, **options: Any) -> None:
        super().__init__(finalize=_finalize, **options)
        self.budget = _Budget()
        self.budget_active = False
        self.globals["range"] = self._range
        del self.globals["lipsum"]  # lipsum(10**8): paragraphs of placeholder text, and no report needs them
        self.filters[_STEPS] = _steps
        self.filters[_SIZED] = _sized
        for name, check in _CHECKED_FILTERS.items():
            self.filters[name] = _checked_filter(check, self.filters[name])

    # --- compiling ---------------------------------------------------------------------------------------

    def parse(self, source: str, name: str | None = None, filename: str | None = None) -> nodes.Template:
        tree = super().parse(source, name, filename)
        for node in tree.find_all(_NO_LOADER):
            keyword = {nodes.Extends: "extends", nodes.Include: "include"}.get(type(node), "import")
            error = TemplateSyntaxError(
                f"mẫu dùng thẻ '{keyword}' để lấy một mẫu khác, nhưng mẫu Word không lấy được mẫu nào khác",
                node.lineno,
                name,
                filename,
            )
            error.translated = True  # the message alone, without Jinja's English "line N"
            error.fix = "Chép phần cần dùng vào chính mẫu Word này rồi xóa thẻ."  # type: ignore[attr-defined]
            raise error
        return tree

    def compile(
        self,
        source: str | nodes.Template,
        name: str | None = None,
        filename: str | None = None,
        raw: bool = False,
        defer_init: bool = False,
    ) -> Any:
        if isinstance(source, str):
            source = self.parse(source, name, filename)
        return super().compile(_Bounds().visit(source), name, filename, raw, defer_init)  # type: ignore[call-overload]

    # --- running -----------------------------------------------------------------------------------------

    def _range(self, *args: int) -> range:
        numbers = range(*args)
        if len(numbers) > MAX_RANGE:
            raise TemplateRefused(
                f"mẫu dùng range() với {format_number(len(numbers))} số, quá giới hạn "
                f"{format_number(MAX_RANGE)}"
            )
        return numbers

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        sequence, count = (left, right) if isinstance(right, int) else (right, left)
        if operator == "*" and isinstance(sequence, str | list | tuple) and isinstance(count, int):
            _check_width(len(sequence) * count)
        if operator == "+" and isinstance(left, str | list | tuple) and isinstance(right, str | list | tuple):
            _check_width(len(left) + len(right))
        power = operator == "**" and isinstance(left, int) and isinstance(right, int) and abs(left) > 1
        if power and right * left.bit_length() > MAX_INTEGER_BITS:
            raise TemplateRefused(f"mẫu tính lũy thừa {left} ** {right}, một số quá lớn")
        if operator == "%" and isinstance(left, str):
            _check_percent(left)
        try:
            return _check_size(super().call_binop(context, operator, left, right))
        except ZeroDivisionError:
            raise TemplateRefused("mẫu chia cho 0", "Sửa phép tính trong thẻ của mẫu.") from None
        except OverflowError:
            raise TemplateRefused(
                f"phép tính {operator} trong mẫu cho kết quả quá lớn", "Sửa phép tính trong thẻ của mẫu."
            ) from None

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        budget = __self.budget
        budget.step()
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str):
            _check_width(_expected_length(__obj, args))
        if isinstance(__obj, LoopContext) and args:  # a recursive loop: its items are steps too
            args = (_steps(__self, args[0]), *args[1:])
        if not __self.is_safe_callable(__obj):
            raise TemplateRefused(
                f"mẫu gọi '{getattr(__obj, '__name__', type(__obj).__name__)}', một hàm không được phép",
                "Xóa lời gọi này khỏi thẻ; mẫu chỉ dùng các trường dữ liệu và bộ lọc của cchc.",
            )
        if budget.depth >= MAX_CALL_DEPTH:
            raise TemplateRefused(
                f"mẫu gọi lồng nhau quá {MAX_CALL_DEPTH} cấp (một macro gọi lại chính nó?)",
                "Sửa macro để nó không gọi lại chính nó vô tận.",
            )
        budget.depth += 1
        try:
            result = __context.call(__obj, *args, **kwargs)
        finally:
            budget.depth -= 1
        if isinstance(owner, list | dict | set):  # append, extend, update…: the object grows
            _check_size(owner)
        return _check_size(result)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is not None:
            _check_format(value.__self__)
        return wrapped

    def getattr(self, obj: Any, attribute: str) -> Any:
        # The context is dicts, read a thousand times per report: a key is found as Jinja finds it (after
        # the attributes of a dict, none of which has its name), without the AttributeError its lookup
        # raises and catches first.
        if type(obj) is dict and attribute in obj and attribute not in _DICT_ATTRIBUTES:
            return obj[attribute]
        return super().getattr(obj, attribute)

    def unsafe_undefined(self, obj: Any, attribute: str) -> Any:
        return self.undefined(
            f"mẫu truy cập '{attribute}' của giá trị kiểu {type(obj).__name__} — phần bên trong của Python, "
            "không được phép trong mẫu",
            name=attribute,
            obj=obj,
            exc=_InternalsRefused,
        )
