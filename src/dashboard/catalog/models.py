"""The catalog as typed, immutable objects: areas, indicators, policy frameworks."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from dashboard.analysis.linked import NO_RELATIONS, Relations

AREA_LEVELS = ("land", "regio", "referentie", "gemeente", "wijk")
UNITS = ("percent", "percent_change", "count", "euro", "grade", "days", "per_km2", "per_1000")
DIRECTIONS = ("lower_is_better", "higher_is_better", "neutral")
AGGREGATIONS = ("none", "sum", "weighted_mean")
TARGET_KINDS = (
    "blijft_gelijk_of_daalt",
    "daalt",
    "stijgt",
    "stijgt_met_minstens",
    "daalt_van_naar",
    "bereikt_minstens",
    "kwalitatief",
)


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    level: str
    parent: str | None = None
    members: tuple[str, ...] = ()


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str
    description: str
    unit: str
    direction: str
    source: str
    aggregation: str = "none"
    levers: tuple[str, ...] = ()
    kansencirkel: tuple[str, ...] = ()


@dataclass(frozen=True)
class TargetRule:
    """What "wanneer zijn we tevreden" means as a rule that can be evaluated."""

    kind: str
    text: str
    percent: float | None = None
    start: float | None = None
    end: float | None = None  # daalt_van_naar: the value to reach; bereikt_minstens: the number to reach
    deadline: str | None = None  # bereikt_minstens: the period by which (e.g. "2019")


@dataclass(frozen=True)
class Goal:
    id: str
    name: str
    target: TargetRule
    desired_result: str = ""
    actions: tuple[str, ...] = ()
    indicators: tuple[str, ...] = ()
    baseline_period: str | None = None
    baseline_note: str = ""
    measured_by: str = ""
    baseline_areas: tuple[str, ...] = ()
    indicator_targets: tuple[tuple[str, TargetRule], ...] = ()
    # Transformatieplan-style goals (an "onderwerp" with its activities in `actions`): the indicators holding
    # its budget, how the plan evaluates it ("Evaluatie en monitoring") and its end products.
    budget_indicators: tuple[str, ...] = ()
    evaluation: tuple[str, ...] = ()
    end_products: tuple[str, ...] = ()
    evaluation_indicators: tuple[str, ...] = ()  # the evaluation items that are a figure (uploaded when known)

    def rule_for(self, indicator_id: str) -> TargetRule:
        """The goal's rule, unless the document sets another one for this indicator."""
        return dict(self.indicator_targets).get(indicator_id, self.target)


@dataclass(frozen=True)
class Theme:
    id: str
    name: str
    short_name: str
    ambition: str
    goals: tuple[Goal, ...] = ()
    indicators: tuple[str, ...] = ()
    # A theme that gives context (Alkmaar's "Wat valt op"), not one of the plan's own tasks: it has its
    # page, but is not counted among the themes (kernopgaven) on Overzicht.
    context: bool = False

    @property
    def all_indicators(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for goal in self.goals:
            seen.update(dict.fromkeys(goal.indicators))
            seen.update(dict.fromkeys(goal.evaluation_indicators))
        seen.update(dict.fromkeys(self.indicators))
        return tuple(seen)


MEASURE_TO_BE_SET = "nog vast te stellen (volgt in het uitvoeringsprogramma)"
REVIEW_KINDS = ("tellen_en_vertellen", "review", "evaluatie", "uitvoeringsagenda", "voortgangsrapportage")
REVIEW_KIND_NAMES = {
    "tellen_en_vertellen": "Bijeenkomst tellen en vertellen",
    "review": "Tussentijdse review van de beleidsdoelen",
    "evaluatie": "Evaluatie van het beleidsplan",
    "uitvoeringsagenda": "Uitvoeringsagenda",
    "voortgangsrapportage": "Voortgangsrapportage",
}


@dataclass(frozen=True)
class CoreValue:
    name: str
    points: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlannedReview:
    """A moment of the policy cycle the plan itself sets: a review, an evaluation, a yearly meeting."""

    kind: str
    due: str  # ISO date (the last day on which it is due)
    text: str
    source: str = ""  # where in the document, e.g. "hoofdstuk 4.2"


@dataclass(frozen=True)
class Framework:
    id: str
    name: str
    short_name: str
    period: str
    document: str
    areas: tuple[str, ...]
    ambition: str
    themes: tuple[Theme, ...]
    theme_label: str = "Thema"
    themes_label: str = "Thema's"
    principles: tuple[str, ...] = ()
    headline_indicators: tuple[str, ...] = ()
    reference_areas: tuple[str, ...] = ()
    # Additive, all optional: what else the document sets out beside its themes and goals.
    core_values: tuple[CoreValue, ...] = ()
    lever_names: tuple[tuple[str, str], ...] = ()  # (lever id, the document's own name for it)
    blockades: tuple[tuple[str, str], ...] = ()  # (lever id, the blockade the lever answers, after Simons)
    steering_principles: tuple[str, ...] = ()
    monitoring_steps: tuple[str, ...] = ()  # how the plan knows it is on the right way
    reviews: tuple[PlannedReview, ...] = ()
    activity_label: str = "Actie"
    activities_label: str = "Acties"

    @property
    def core_themes(self) -> tuple[Theme, ...]:
        """The plan's own themes (not the context ones)."""
        return tuple(theme for theme in self.themes if not theme.context)

    @property
    def activities(self) -> tuple[str, ...]:
        return tuple(action for goal in self.goals for action in goal.actions)

    def lever_name(self, lever_id: str, default: str) -> str:
        return dict(self.lever_names).get(lever_id, default)
    # What the plan says per lever of control besides its principles (cultuur): (lever id, text) pairs.
    lever_texts: tuple[tuple[str, str], ...] = ()

    def theme(self, theme_id: str) -> Theme:
        for theme in self.themes:
            if theme.id == theme_id:
                return theme
        raise KeyError(theme_id)

    @property
    def goals(self) -> tuple[Goal, ...]:
        return tuple(goal for theme in self.themes for goal in theme.goals)


@dataclass(frozen=True)
class Lever:
    id: str
    name: str
    description: str
    elements: tuple[str, ...]


@dataclass(frozen=True)
class SteeringModel:
    """The Levers of Control, the kansencirkel and the shared values (seeds 001, 003)."""

    levers: tuple[Lever, ...]
    kansencirkel: tuple[tuple[str, str], ...]
    values: tuple[str, ...]
    source: str
    centre: tuple[str, ...] = ()  # what stands in the middle of the model (001 6.4: Ambitie, Opdrachtgeverschap)


@dataclass(frozen=True)
class Document:
    file: str
    title: str
    area: str
    year: str
    short_name: str


@dataclass(frozen=True)
class Pilot:
    name: str
    description: str
    documents: tuple[str, ...]
    indicators: tuple[str, ...]


LIMIT_KINDS = ("max", "min")


@dataclass(frozen=True)
class Limit:
    """A figure held against a limit (hefboom Regels, kaders en randvoorwaarden); both are observations.

    figure: one indicator, or the sum of all indicators starting with `figure_prefix`.
    limit: the limit indicator per period; with `limit_period` the value of that one period holds for
    every later period (a 0-meting a goal says must go down); with `carry_forward` the latest known
    limit holds until a new one is given (a norm).
    kind: "max" is exceeded when the figure is above the limit, "min" when below.
    """

    id: str
    name: str
    description: str
    kind: str
    limit_indicator: str
    figure_indicator: str | None = None
    figure_prefix: str | None = None
    figure_name: str | None = None  # how to call a sum of components (an indicator has its own name)
    limit_period: str | None = None
    carry_forward: bool = False
    areas: tuple[str, ...] = ()
    source: str = ""
    # How a component given for a span of years (2018/2020) or a school year counts: "apart" (shown beside
    # the yearly comparison, not counted), or "per_jaar" (spread over its years: a calendar span evenly, a
    # school year by months, 5/12 to the year it starts and 7/12 to the next).
    allocation: str = "apart"
    school_year_indicators: tuple[str, ...] = ()  # components whose span period is a school year
    whole_period: str | None = None  # also compare everything in this span (2018/2020) with its limit


ALLOCATIONS = ("apart", "per_jaar")


@dataclass(frozen=True)
class Catalog:
    areas: dict[str, Area]
    indicators: dict[str, Indicator]
    frameworks: dict[str, Framework]
    steering: SteeringModel
    documents: dict[str, Document] = field(default_factory=dict)
    pilots: tuple[Pilot, ...] = ()
    limits: tuple[Limit, ...] = ()
    relations: Relations = NO_RELATIONS  # indicators that add up or rest on each other (privacy rule)

    @property
    def default_framework(self) -> Framework:
        return self.frameworks["ijmond-2018-2021"]

    def with_indicators(self, extra: list[Indicator]) -> Catalog:
        """This catalog plus indicators defined elsewhere (uploads); the catalog files win on a clash."""
        added = {i.id: i for i in extra if i.id not in self.indicators}
        return replace(self, indicators={**self.indicators, **added}) if added else self

    def with_areas(self, extra: list[Area]) -> Catalog:
        """This catalog plus areas defined elsewhere (the mapping step of an upload); the catalog wins on a clash."""
        added = {a.code: a for a in extra if a.code not in self.areas}
        return replace(self, areas={**self.areas, **added}) if added else self

    def with_ancestors(self, code: str) -> list[str]:
        """The area and the areas above it (region, Nederland): the reference lines of a comparison."""
        chain = [code]
        while (parent := self.areas[chain[-1]].parent) and parent in self.areas and parent not in chain:
            chain.append(parent)
        return chain

    def municipalities(self) -> list[Area]:
        return [a for a in self.areas.values() if a.level == "gemeente"]

    def followed_municipalities(self) -> set[str]:
        """The municipalities of the policy frameworks (regions count with their members).

        The catalog knows every municipality and wijk of the Netherlands; these are the ones the
        dashboard follows: a CBS refresh fetches them, and a name in an upload is looked up among them first.
        """
        followed: set[str] = set()
        for framework in self.frameworks.values():
            for code in framework.areas:
                area = self.areas[code]
                followed.update(area.members if area.level == "regio" else (code,))
        return followed

    def is_followed(self, code: str) -> bool:
        area = self.areas[code]
        followed = self.followed_municipalities()
        if area.level == "gemeente":
            return code in followed
        if area.level == "wijk":
            return area.parent in followed
        return True
