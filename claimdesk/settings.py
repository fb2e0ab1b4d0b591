"""One ``Settings`` object for the CLI and the app: defaults, then a TOML file, then ``CLAIMDESK_*``
environment variables, then explicit overrides (CLI flags). Nothing else reads the environment."""

from __future__ import annotations

import hashlib
import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from review.types import DEFAULT_STATUSES, UNREVIEWED, Status

PACKAGE = Path(__file__).resolve().parent
# Where the runtime packages live: the checkout, or site-packages for an installed wheel (the models are package
# data beside their code in both).
REPO = PACKAGE.parent
CHECKOUT = (REPO / "pyproject.toml").exists()
# The demo article and corpus: corpus/ in a checkout, installed as the package data claimdesk/corpus in a wheel.
BUNDLED_CORPUS = REPO / "corpus" if CHECKOUT else PACKAGE / "corpus"
DEMO_CORPUS = BUNDLED_CORPUS / "demo"
DEMO_ARTICLE = BUNDLED_CORPUS / "demo_article.md"


def _default_data_dir() -> Path:
    """A checkout keeps its indexes and review database in .claimdesk/ beside the code; an installed Claimdesk in
    the user's data folder (XDG), never inside site-packages."""
    if CHECKOUT:
        return REPO / ".claimdesk"
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "claimdesk"


class SettingsError(ValueError):
    pass


@dataclass(frozen=True)
class Settings:
    data_dir: Path = field(default_factory=_default_data_dir)  # indexes and the default review database
    corpus_dir: Path = DEMO_CORPUS
    index_dir: Path | None = None  # default: one folder per corpus under data_dir/index
    # Where checks search: "" = the embedded index files in index_dir; or Milvus, as milvus-lite:///FILE.db
    # (embedded) or http://HOST:19530 (a server or cluster), filled by `claimdesk index CORPUS --to URL`.
    vector_url: str = ""
    review_url: str = ""  # default: sqlite:///<data_dir>/reviews.db
    stance_model_dir: Path = REPO / "verification" / "model"
    top_k: int = 5
    include_later: bool = False  # show evidence dated after the article (always flagged)
    allow_outlets: frozenset[str] = frozenset()
    deny_outlets: frozenset[str] = frozenset()
    reviewer: str = ""
    # Behind an authenticating reverse proxy: take the reviewer from this request header (for example
    # X-Forwarded-User) and never from the free-text field. Only safe when the proxy is the sole way in.
    reviewer_header: str = ""
    # Or from Streamlit's own sign-in (st.login, OpenID Connect): "oidc" uses the [auth] section of
    # .streamlit/secrets.toml; `auth_provider` names one of its providers ("" = the default one).
    auth: str = "none"
    auth_provider: str = ""
    # Blind double review: each claim needs `blind_reviewers` independent decisions, hidden from one another
    # until all are in; agreement settles the claim, disagreement goes to the disagreements list.
    blind_review: bool = False
    blind_reviewers: int = 2
    # The analyst's verdicts. From TOML: [[claimdesk.statuses]] tables with name, colour, description.
    statuses: tuple[Status, ...] = DEFAULT_STATUSES
    threads: int = 0  # 0 = library default
    encoder_backend: str = "onnx"  # "onnx" (verified against torch at export) or "torch"
    # Which sentence encoder embeds claims and passages: "tuned" is the packaged MiniLM with this project's
    # retrieval fine-tune (retrieval/retriever; hit@5 in bench/RESULTS.md), "base" the packaged MiniLM alone.
    # Changing it makes every index rebuild, because vectors of two encoders must never mix.
    encoder: str = "tuned"
    retriever_dir: Path = REPO / "retrieval" / "retriever"
    # Corpus encoding precision: "auto" embeds large corpora in bf16 where the CPU does bf16 in hardware
    # (2.4x torch, same hit@5: bench/RESULTS.md), "fp32" never, "bf16" always. Queries are always fp32.
    index_precision: str = "auto"
    # Rerank the search's top `rerank_depth` passages before keeping `top_k`; 0 = off. `reranker`: "model" is
    # the trained evidence reranker (retrieval/reranker), "stance" the stance model's relevance (1 - P(NEI))
    # with `rerank_weight`. Measured on the held-out dev fold in bench/RESULTS.md.
    rerank_depth: int = 0
    reranker: str = "model"
    reranker_dir: Path = REPO / "retrieval" / "reranker"
    rerank_weight: float = 2.0

    @property
    def resolved_index_dir(self) -> Path:
        if self.index_dir is not None:
            return Path(self.index_dir)
        corpus = Path(self.corpus_dir).resolve()
        tag = hashlib.sha1(str(corpus).encode()).hexdigest()[:8]
        return Path(self.data_dir) / "index" / f"{corpus.name}-{tag}"

    @property
    def resolved_review_url(self) -> str:
        return self.review_url or f"sqlite:///{Path(self.data_dir) / 'reviews.db'}"

    def with_overrides(self, **values) -> Settings:
        clean = {k: v for k, v in values.items() if v is not None}
        return _coerce(replace(self, **clean))

    @classmethod
    def load(cls, environ: dict[str, str] | None = None, toml_path: str | Path | None = None, **overrides) -> Settings:
        environ = dict(os.environ if environ is None else environ)
        values: dict = {}
        toml_path = toml_path or environ.get("CLAIMDESK_CONFIG")
        if toml_path:
            try:
                values.update(tomllib.loads(Path(toml_path).read_text(encoding="utf-8")).get("claimdesk", {}))
            except (OSError, tomllib.TOMLDecodeError) as exc:
                raise SettingsError(f"{toml_path}: cannot read settings ({exc})") from None
        names = {f.name for f in fields(cls)}
        for name in names:
            key = f"CLAIMDESK_{name.upper()}"
            if key in environ:
                values[name] = environ[key]
        unknown = set(values) - names
        if unknown:
            raise SettingsError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls().with_overrides(**values)


def _statuses(value) -> tuple[Status, ...]:
    if isinstance(value, str):
        raise SettingsError("statuses can only be set in the TOML file ([[claimdesk.statuses]] tables)")
    statuses = tuple(s if isinstance(s, Status) else Status(str(s["name"]), str(s.get("colour", "#9e9e9e")),
                                                               str(s.get("description", ""))) for s in value)
    names = [s.name for s in statuses]
    if len(set(names)) != len(names) or not all(n.strip() for n in names):
        raise SettingsError("status names must be unique and non-empty")
    if UNREVIEWED not in names:  # every claim starts somewhere
        statuses = (DEFAULT_STATUSES[0], *statuses)
    return statuses


def _vector_url(url: str) -> str:
    from retrieval.milvus import is_milvus_url

    if url and not is_milvus_url(url):
        raise SettingsError(f"vector_url {url!r}: use milvus-lite:///FILE.db or http://HOST:PORT (or leave it empty)")
    return url


def _at_least(value: int, minimum: int, name: str) -> int:
    if value < minimum:
        raise SettingsError(f"{name} must be at least {minimum}, not {value}")
    return value


def _choice(value, allowed: set[str], name: str) -> str:
    value = str(value).lower()
    if value not in allowed:
        raise SettingsError(f"{name} must be one of {', '.join(sorted(allowed))}, not {value!r}")
    return value


def _coerce(settings: Settings) -> Settings:
    """Accept strings from TOML and the environment for every field."""
    def as_bool(value) -> bool:
        return value if isinstance(value, bool) else str(value).strip().lower() in {"1", "true", "yes", "on"}

    def as_set(value) -> frozenset[str]:
        if isinstance(value, str):
            return frozenset(v.strip() for v in value.split(",") if v.strip())
        return frozenset(value)

    try:
        return Settings(
            data_dir=Path(settings.data_dir),
            corpus_dir=Path(settings.corpus_dir),
            index_dir=Path(settings.index_dir) if settings.index_dir else None,
            review_url=str(settings.review_url),
            vector_url=_vector_url(str(settings.vector_url).strip()),
            stance_model_dir=Path(settings.stance_model_dir),
            top_k=int(settings.top_k),
            include_later=as_bool(settings.include_later),
            allow_outlets=as_set(settings.allow_outlets),
            deny_outlets=as_set(settings.deny_outlets),
            reviewer=str(settings.reviewer),
            reviewer_header=str(settings.reviewer_header).strip(),
            auth=_choice(settings.auth, {"none", "oidc"}, "auth"),
            auth_provider=str(settings.auth_provider).strip(),
            blind_review=as_bool(settings.blind_review),
            blind_reviewers=_at_least(int(settings.blind_reviewers), 2, "blind_reviewers"),
            statuses=_statuses(settings.statuses),
            threads=int(settings.threads),
            encoder_backend=_choice(settings.encoder_backend, {"onnx", "torch"}, "encoder_backend"),
            encoder=_choice(settings.encoder, {"tuned", "base"}, "encoder"),
            retriever_dir=Path(settings.retriever_dir),
            index_precision=_choice(settings.index_precision, {"auto", "fp32", "bf16"}, "index_precision"),
            rerank_depth=_at_least(int(settings.rerank_depth), 0, "rerank_depth"),
            reranker=_choice(settings.reranker, {"model", "stance"}, "reranker"),
            reranker_dir=Path(settings.reranker_dir),
            rerank_weight=float(settings.rerank_weight),
        )
    except (TypeError, ValueError, KeyError) as exc:
        raise SettingsError(f"invalid setting: {exc}") from None
