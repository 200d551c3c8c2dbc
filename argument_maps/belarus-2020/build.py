"""Generator of the Belarus 2020 argument maps (the seven `*.argmap.json` files here).

The analysis lives in this file as data so that the per-contribution maps and the debate
map cannot drift apart: the debate map is assembled from the six contribution maps plus
the cross-author relations (`CROSS`). Run from the project root:

    .venv/bin/python argument_maps/belarus-2020/build.py

Every statement text is our own paraphrase of the IEŚ policy paper; no quotes are kept.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import msgspec

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from service.domain.formats import native  # noqa: E402
from service.domain.graph import (  # noqa: E402
    Author,
    Conflict,
    ConflictKind,
    Equivalence,
    Inference,
    Locator,
    MapDocument,
    Source,
    Stance,
    StanceValue,
    Statement,
    StatementKind,
    Topic,
)
from service.domain.validation import validate  # noqa: E402

SOURCE_ID = "ies-2020-belarus"

SOURCE = Source(
    id=SOURCE_ID,
    title="Crisis in Belarus. How should the West respond? (IEŚ Policy Papers 8/2020)",
    creators=[
        "Adam Reichardt (ed.)",
        "Tomasz Stępniewski (ed.)",
        "David R. Marples",
        "Veranika Laputska",
        "Maxim Rust",
        "George Soroka",
        "Agata Kleczkowska",
    ],
    year=2020,
    publisher="Instytut Europy Środkowej / Institute of Central Europe, Lublin",
    identifier="ISBN 978-83-66413-22-1",
)

CITATION = (
    "Reichardt, A. and Stępniewski, T. (eds.) (2020) Crisis in Belarus. How should the West respond? "
    "IEŚ Policy Papers 8/2020. Lublin: Institute of Central Europe. ISBN 978-83-66413-22-1. "
    "Statements in this map are paraphrases by the map authors, located by page, section and paragraph."
)

TOPICS = [
    Topic(
        id="sanctions",
        title="Should the West impose strong sanctions quickly?",
        description="pro = impose sanctions promptly and with real bite (personal and economic); "
        "con = hold back, delay or avoid hasty sanctions.",
    ),
    Topic(
        id="recognition-elections",
        title="Should the West deny Lukashenka recognition and press for new, observed elections?",
        description="pro = treat the 2020 result as void, stop recognising Lukashenka as president and demand "
        "a new election under international observation; con = accept the result or the incumbent.",
    ),
    Topic(
        id="russia",
        title="Should the West engage Moscow as a partner in settling the crisis?",
        description="pro = keep talking with Russia, involve or reassure it in a settlement; "
        "con = treat Moscow mainly as an adversary whose involvement is a threat.",
    ),
    Topic(
        id="russia-deterrence",
        title="Should the West firmly warn Russia off intervening in Belarus?",
        description="pro = make clear that military intervention, forced integration or propping up the regime "
        "by force will carry a price; con = Russian intervention is acceptable or lawful.",
    ),
    Topic(
        id="economic-support",
        title="Should the West offer an economic package for a democratic transition?",
        description="pro = offer a large aid and stimulus package (a 'Marshall Plan') for the transition period; "
        "con = no such package.",
    ),
    Topic(
        id="human-rights-law",
        title="Are human rights and international law grounds for international engagement?",
        description="pro = abuses, political prisoners and the right to self-determination make engagement "
        "legitimate and necessary; con = engagement is interference in Belarus's domestic affairs.",
    ),
    Topic(
        id="long-term-strategy",
        title="Should the West pursue a patient, long-term strategy that reckons with the ruling elite?",
        description="pro = plan for a long process, watch and court the ruling elite as well as civil society; "
        "con = expect a quick outcome or bet only on the new protest leaders.",
    ),
    Topic(
        id="western-unity",
        title="Should the West act coherently and speak with one voice?",
        description="pro = a common, coordinated EU/US line; con = divergent national approaches are acceptable.",
    ),
    Topic(
        id="support-society",
        title="Should the West directly support Belarusian society?",
        description="pro = aid for victims of repression, strikers, the opposition and people leaving the country "
        "(medical help, visas, money, diplomatic platforms); con = no direct support.",
    ),
    Topic(
        id="geopolitics",
        title="Should the crisis be treated as a geopolitical contest between Russia and the West?",
        description="pro = the crisis is (also) about Russia's sphere of influence versus the West; "
        "con = it is a Belarusian domestic struggle, neither pro-Western nor anti-Russian.",
    ),
    Topic(
        id="diplomacy",
        title="Should the West keep up diplomatic relations with Belarus during the crisis?",
        description="pro = keep or restore diplomatic channels (e.g. an ambassador); con = freeze them.",
    ),
]

PRO, CON, NEUTRAL = StanceValue.PRO, StanceValue.CON, StanceValue.NEUTRAL
CLAIM, PREMISE, REBUTTAL, EVIDENCE = (
    StatementKind.CLAIM,
    StatementKind.PREMISE,
    StatementKind.REBUTTAL,
    StatementKind.EVIDENCE,
)
OPPOSED = "opposed-position"


@dataclass
class Contribution:
    slug: str
    author: Author
    section: str
    page: int
    title: str
    description: str
    statements: list[Statement] = field(default_factory=list)
    inferences: list[Inference] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)

    def s(
        self,
        n: int,
        kind: StatementKind,
        title: str,
        text: str,
        para: int,
        stances: dict[str, StanceValue] | None = None,
        tags: list[str] | None = None,
    ) -> None:
        self.statements.append(
            Statement(
                id=f"{self.author.id}-{n}",
                text=text,
                title=title,
                kind=kind,
                author=self.author.id,
                locator=Locator(source=SOURCE_ID, page=self.page, section=self.section, paragraph=para),
                stances=[Stance(topic=t, stance=v) for t, v in (stances or {}).items()],
                tags=tags or [],
            )
        )

    def inf(
        self,
        premises: list[int],
        conclusion: int,
        title: str | None = None,
        scheme: str | None = None,
        endorsed: bool = True,
    ) -> str:
        """Adds an inference and returns its id; `endorsed=False` marks reasoning the author
        reports but rejects, so it gets no author."""
        a = self.author.id
        iid = f"{a}-inf-{len(self.inferences) + 1}"
        self.inferences.append(
            Inference(
                id=iid,
                premises=[f"{a}-{p}" for p in premises],
                conclusion=f"{a}-{conclusion}",
                title=title,
                scheme=scheme,
                author=a if endorsed else None,
            )
        )
        return iid

    def att(self, attacker: int, target: int | str, kind: ConflictKind = ConflictKind.REBUT) -> None:
        a = self.author.id
        # a string target is the full id of an inference (an undercut)
        tgt = target if isinstance(target, str) else f"{a}-{target}"
        self.conflicts.append(
            Conflict(
                id=f"{a}-att-{len(self.conflicts) + 1}", attacker=f"{a}-{attacker}", target=tgt, kind=kind, author=a
            )
        )

    def document(self) -> MapDocument:
        return MapDocument(
            slug=self.slug,
            title=self.title,
            description=self.description,
            language="en",
            citation=CITATION,
            authors=[self.author],
            sources=[SOURCE],
            topics=TOPICS,
            statements=self.statements,
            inferences=self.inferences,
            conflicts=self.conflicts,
        )


def held_by(who: str) -> list[str]:
    return [OPPOSED, f"held-by: {who}"]


# --------------------------------------------------------------------------------------
# Executive summary (Reichardt & Stępniewski), p. 7
# --------------------------------------------------------------------------------------
summary = Contribution(
    slug="belarus-2020-summary",
    author=Author(
        id="reichardt-stepniewski",
        name="Adam Reichardt and Tomasz Stępniewski",
        description="Editors of the policy paper: Reichardt edits the New Eastern Europe journal; Stępniewski is "
        "an associate professor at the Catholic University of Lublin and deputy director of the Institute of "
        "Central Europe.",
    ),
    section="Belarus after Presidential Elections 2020: Executive summary",
    page=7,
    title="Belarus 2020: executive summary (Reichardt and Stępniewski)",
    description="The editors' synthesis: the West condemned the crackdown but lacks a coherent line; they list "
    "sanctions, support for Belarusians (prisoners, non-recognition, new elections, self-determination) and "
    "preparation for a transition (a long-term strategy, a 'Marshall Plan', a considered place for Russia).",
)
S = summary
S.s(1, CLAIM, "Coherent pressure toward a transition",
    "The EU and the US need a coherent set of measures that increases pressure on the Lukashenka regime until "
    "the human-rights abuses stop and Belarus moves on to new elections and a handover of power.", 2,
    {"recognition-elections": PRO, "western-unity": PRO})
S.s(2, EVIDENCE, "Rigged vote, violent crackdown",
    "The official outcome of the vote of 9 August 2020, which credited Lukashenka with close to 80 per cent, was "
    "openly falsified; it set off unprecedented protests and strikes across the country, which the authorities "
    "answered with beatings and thousands of arrests.", 1)
S.s(3, PREMISE, "Western response incoherent",
    "Western governments condemned the violence promptly, yet their policy on Belarus has been neither coherent "
    "nor consistent.", 2, {"western-unity": PRO})
S.s(4, CLAIM, "Personal sanctions on the repressive apparatus",
    "Individual sanctions should hit leading regime figures and also the riot police who beat people, senior "
    "police commanders, and the judges and prosecutors who ran the mass of illegal trials of peaceful protesters "
    "and activists.", 3, {"sanctions": PRO})
S.s(5, CLAIM, "Economic sanctions on exporting state firms",
    "Economic sanctions should be aimed at big state enterprises that earn a large part of the state budget "
    "through exports, and at firms that hold assets abroad.", 3, {"sanctions": PRO})
S.s(6, CLAIM, "Free prisoners, end repression",
    "The first aim of Western action must be the release of every political prisoner and an end to the violent "
    "repression.", 4, {"human-rights-law": PRO})
S.s(7, CLAIM, "No recognition after November",
    "Once Lukashenka's term formally runs out in November 2020, the West should stop treating him as the "
    "president of Belarus.", 4, {"recognition-elections": PRO})
S.s(8, EVIDENCE, "West rejects the result",
    "The EU and the US have already made clear that they reject the announced election result.", 4,
    {"recognition-elections": PRO})
S.s(9, CLAIM, "New, observed elections",
    "The West should demand a fresh, free election, with international observers present on the ground to "
    "certify that it is fair.", 4, {"recognition-elections": PRO})
S.s(10, CLAIM, "Back self-determination",
    "The West should publicly declare that it supports the Belarusians' right to determine their own future.", 4,
    {"human-rights-law": PRO})
S.s(11, PREMISE, "Declaration has legal effect",
    "Such a declaration would not be a mere gesture: it has legal consequences for other states.", 4,
    {"human-rights-law": PRO})
S.s(12, CLAIM, "Merely symbolic declaration",
    "A Western statement backing Belarusian self-determination would only be a symbolic gesture.", 4,
    tags=held_by("implicit objection answered by the editors"))
S.s(13, CLAIM, "Long-term Western strategy",
    "The West's strategy toward Belarus should be designed for the long term.", 5, {"long-term-strategy": PRO})
S.s(14, CLAIM, "A Marshall Plan for the transition",
    "For the transition period the West should offer Belarus a dedicated 'Marshall Plan': substantial money to "
    "restructure the economy, as a broad stimulus package of grants, loans and privileged entry to foreign "
    "markets.", 5, {"economic-support": PRO})
S.s(15, CLAIM, "Factor Russia into the transition",
    "The West must not overlook Russia: any plan for the transition has to take Moscow into account and may need "
    "to involve it.", 6, {"russia": PRO})
S.s(16, PREMISE, "Protests neither pro-Western nor anti-Russian",
    "The protest movement is not aimed at joining the West, and it is not directed against Russia either.", 6,
    {"geopolitics": CON})
S.s(17, CLAIM, "A pro-Western, anti-Russian revolt",
    "The Belarusian protests are a pro-Western uprising turned against Russia.", 6,
    {"geopolitics": PRO}, tags=held_by("a misreading the editors warn the West against"))
S.s(18, CLAIM, "Watch the Kremlin's aims",
    "The West should grasp what the Kremlin intends for Belarus and must not let one brutal regime simply be "
    "swapped for another.", 6, {"russia-deterrence": PRO})
S.inf([2, 3], 1, "Abuses met by an incoherent response", "practical reasoning")
S.inf([4], 1, "Sanctions as pressure")
S.inf([5], 1, "Sanctions as pressure")
S.inf([6], 1, "Support for the Belarusian people")
S.inf([2], 6, "Repression must stop", "argument from values")
S.inf([8], 7, "Consistency with the declared non-recognition")
S.inf([7], 1, "Support for the Belarusian people")
S.inf([2], 9, "A falsified vote needs a rerun")
S.inf([9], 1, "Support for the Belarusian people")
S.inf([11], 10, "Legal weight of the declaration")
S.inf([10], 1, "Support for the Belarusian people")
S.inf([14], 1, "Preparing the transition")
S.inf([13], 1, "Preparing the transition")
S.inf([16], 15, "Protests do not exclude Russia")
S.inf([15], 1, "Preparing the transition")
S.inf([18], 1, "Preparing the transition")
S.att(11, 12)
S.att(16, 17)

# --------------------------------------------------------------------------------------
# Marples, "Breaking the impasse in Belarus", p. 11
# --------------------------------------------------------------------------------------
marples = Contribution(
    slug="belarus-2020-marples",
    author=Author(
        id="marples",
        name="David R. Marples",
        description="Historian of Russia and Eastern Europe, distinguished university professor at the University "
        "of Alberta, Canada.",
    ),
    section="Breaking the impasse in Belarus",
    page=11,
    title="Belarus 2020: Marples, Breaking the impasse in Belarus",
    description="Europe's hesitation is unwise; it should break the deadlock with biting sanctions, continued talks "
    "with Moscow aimed at Lukashenka's exit while deterring Russian force, and demands for prisoners' release, "
    "new observed elections and Tsikhanouskaya's safe return.",
)
M = marples
M.s(1, CLAIM, "Stop hesitating, break the impasse",
    "Europe's reluctance to act on Belarus is understandable but mistaken; Europeans should take three concrete "
    "steps to end the deadlock.", 2, {"sanctions": PRO})
M.s(2, EVIDENCE, "Protests outlast the crackdown",
    "Weeks after the 9 August vote, Sunday rallies of 100,000 to 200,000 people continued even though the regime "
    "deployed riot police and KGB troops and kept army units in reserve.", 1)
M.s(3, CLAIM, "Keep faith in dialogue with Minsk",
    "Because Lukashenka has resisted some Russian demands for deeper integration, Europe should keep relying on "
    "dialogue with his government rather than punishing it.", 2, {"sanctions": CON},
    tags=held_by("several European governments"))
M.s(4, EVIDENCE, "Russian integration pressure",
    "Moscow has pushed Minsk toward closer integration by reviving the 1999 Union State arrangements, "
    "joint military exercises, economic leverage and propaganda in the media.", 2)
M.s(5, EVIDENCE, "Sanctions agreed, not imposed",
    "The EU has agreed on renewed sanctions but has not yet put them into force.", 2)
M.s(6, CLAIM, "Impose sanctions with real bite",
    "Sanctions must actually be put into effect now, at a level certain to make a difference.", 3,
    {"sanctions": PRO})
M.s(7, CLAIM, "Targets: leaders, state firms, assets",
    "The sanctions should cover individuals such as Lukashenka and Lidziya Yarmoshyna, who has chaired the "
    "Central Election Commission for years, and also state enterprises and assets held abroad.", 3, {"sanctions": PRO})
M.s(8, PREMISE, "No impunity for torture",
    "Europe and North America cannot passively let the killing and torture of unarmed, innocent civilians go "
    "unpunished in a country in the middle of Europe.", 3, {"human-rights-law": PRO})
M.s(9, PREMISE, "Inaction abandons the protesters",
    "Standing aside would amount to deserting peaceful demonstrators who are trying to uphold the law and build a "
    "democratic society.", 3, {"support-society": PRO})
M.s(10, EVIDENCE, "Non-recognition declared",
    "The EU and the US reject the announced result (about 80 per cent for Lukashenka against some 10 per cent for "
    "Sviatlana Tsikhanouskaya) and have said they will stop recognising him as president when his term expires "
    "in November.", 4, {"recognition-elections": PRO})
M.s(11, CLAIM, "Back words with action",
    "Western governments must follow their non-recognition statement with deeds, or it will look like empty "
    "rhetoric.", 4, {"recognition-elections": PRO, "sanctions": PRO})
M.s(12, CLAIM, "Keep talking with Moscow",
    "The EU should carry on its talks with Russia about Belarus.", 5, {"russia": PRO})
M.s(13, PREMISE, "Russia cannot be left out",
    "As an interested neighbour closely tied to Belarus, Russia cannot simply be sidelined.", 5, {"russia": PRO})
M.s(14, CLAIM, "Deter Russian force",
    "Russia should be firmly dissuaded from taking a more aggressive part or from keeping Lukashenka in office by "
    "deploying, or threatening, force.", 5, {"russia-deterrence": PRO})
M.s(15, CLAIM, "Moscow and Brussels should ease Lukashenka out",
    "Russia and the EU, with US backing, should jointly persuade Lukashenka to resign, since that is the only sure "
    "way to defuse the crisis.", 5, {"russia": PRO, "recognition-elections": PRO})
M.s(16, PREMISE, "Lukashenka is clearly unpopular",
    "Lukashenka has plainly lost the support of most sections of Belarusian society.", 5)
M.s(17, CLAIM, "Demand release of prisoners",
    "The EU, ideally with US support, should insist that all political prisoners be freed.", 6,
    {"human-rights-law": PRO})
M.s(18, CLAIM, "New elections under observers",
    "The EU should demand a new election monitored by international observers, the EU and Russia among them, with "
    "the OSCE taking part.", 6, {"recognition-elections": PRO, "russia": PRO})
M.s(19, EVIDENCE, "Ballots no longer exist",
    "Yarmoshyna has stated that the ballot papers from the 9 August vote are no longer available.", 6)
M.s(20, EVIDENCE, "Golos: Tsikhanouskaya won the counted stations",
    "Photographed polling-station tallies gathered by the Golos initiative indicate that most voters chose "
    "Tsikhanouskaya.", 6)
M.s(21, CLAIM, "Safe return for Tsikhanouskaya",
    "Tsikhanouskaya should be able to return to Minsk, protected from arrest, and to stand in the new election if "
    "she wants to.", 6, {"recognition-elections": PRO})
M.s(22, PREMISE, "Minimal demands for a peaceful outcome",
    "These demands are the least that is needed and would help bring a peaceful end to a violent struggle to keep "
    "Lukashenka in power for a further term.", 7)
M.inf([2], 1, "The regime cannot end the protests by force")
M.inf([22], 1, "The steps are minimal and peaceful")
M.inf([6], 1, "Step one: sanctions")
M.inf([12], 1, "Step two: talks with Moscow")
M.inf([14], 1, "Step two: deter Russian force")
M.inf([17, 18], 1, "Step three: prisoners and new elections")
M.inf([4], 3, "Minsk as a counterweight to Moscow", endorsed=False)
M.inf([8, 5], 6, "Agreed sanctions must be applied", "argument from values")
M.inf([9], 8, "Consequences of standing by", "argument from negative consequences")
M.inf([6], 7, "Whom the sanctions should hit")
M.inf([10], 11, "A declaration needs enforcement")
M.inf([11], 6, "Sanctions as the action behind non-recognition")
M.inf([13], 12, "Russia's stake in Belarus")
M.inf([15], 12, "The purpose of the talks")
M.inf([16], 15, "An unpopular leader should go")
M.inf([20], 16, "Voters preferred the challenger")
M.inf([19, 20], 18, "No recount is possible and the result is doubtful")
M.inf([18, 20], 21, "The likely winner must be able to run")
M.att(1, 3)

# --------------------------------------------------------------------------------------
# Laputska, "How Europe can respond to the Belarus protests", p. 15
# --------------------------------------------------------------------------------------
laputska = Contribution(
    slug="belarus-2020-laputska",
    author=Author(
        id="laputska",
        name="Veranika Laputska",
        description="Co-founder of the EAST Center; Rethink.CEE fellow at the German Marshall Fund of the United "
        "States, Warsaw office.",
    ),
    section="How Europe can respond to the Belarus protests",
    page=15,
    title="Belarus 2020: Laputska, How Europe can respond to the Belarus protests",
    description="The EU was caught off guard and reacted late and divided; to prove itself a geopolitical actor it "
    "should widen personal and economic sanctions, support victims and strikers, keep human-rights conditions for "
    "dialogue, offer a 'Marshall Plan for Belarus' and act coherently.",
)
L = laputska
L.s(1, CLAIM, "EU must prove it can act",
    "The EU needs to take several further steps to show that it can behave as a geopolitical player in the "
    "Belarusian crisis.", 7, {"sanctions": PRO})
L.s(2, EVIDENCE, "EU caught unprepared",
    "The EU was not ready for the post-election protests: absorbed by COVID-19 and its own problems, it expected "
    "the vote to end, as usual, in another term for Lukashenka.", 1)
L.s(3, EVIDENCE, "Unprecedented mobilisation",
    "Belarusians mobilised as never before: fresh opposition candidates, effective social-media campaigns and "
    "anger at years of authoritarian rule, sharpened by the regime's dismissal of COVID-19, produced rallies "
    "that united the country.", 2)
L.s(4, EVIDENCE, "Mass protest met with repression",
    "The authorities have tried to crush the protests by arrests, expulsions, threats and physical violence, while "
    "hundreds of thousands took to the streets across the country, numbers not seen since the mid-1990s.", 4)
L.s(5, EVIDENCE, "Shocking police brutality",
    "The cruelty of the riot police, unmatched in Belarus since the Nazi and Stalinist eras, shocked the world, "
    "and a solidarity campaign by Belarusians at home and abroad made the events widely known.", 3)
L.s(6, EVIDENCE, "EU firmness came late",
    "Although the EU voiced concern about abuses even before election day, only after weeks had passed, people "
    "had died and thousands had been detained did it take a firmer line toward the Belarusian leadership.", 5,
    {"sanctions": PRO})
L.s(7, EVIDENCE, "No common EU strategy",
    "EU members have failed to agree on one strategy: the Baltic and Visegrad states condemned the crackdown and "
    "the rigged vote, offered help and lobbied for sanctions, while Western European states remained cautious.", 6,
    {"western-unity": PRO})
L.s(8, CLAIM, "Temper the response in Russia's sphere",
    "The EU should restrain its reaction to Belarus in view of the country's place in Russia's sphere of "
    "influence.", 6, {"sanctions": CON, "geopolitics": PRO}, tags=held_by("Western European EU member states"))
L.s(9, EVIDENCE, "Split over recognition",
    "The same divide appears over recognising Tsikhanouskaya and denying Lukashenka legitimacy as president.", 7,
    {"recognition-elections": PRO})
L.s(10, EVIDENCE, "EU institutions have started to act",
    "EU bodies, above all the European Parliament, have taken steps: the Parliament gave the Sakharov Prize to the "
    "Belarusian opposition, announced sanctions and keeps Belarus on the EU agenda.", 7)
L.s(11, CLAIM, "Personal sanctions on police, judges, prosecutors",
    "Individual sanctions should cover every riot police officer, senior police commanders, and all judges and "
    "prosecutors who actively handled the mass of illegal trials of protesters and activists.", 8,
    {"sanctions": PRO})
L.s(12, CLAIM, "Sanction precinct commission heads",
    "Heads of precinct election commissions who disregarded OSCE standards for free and fair elections should "
    "also face individual sanctions.", 8, {"sanctions": PRO})
L.s(13, EVIDENCE, "Commission heads called the police",
    "Many of these commission heads had police detain voters who asked to see the final tally sheets, so they "
    "took a direct part in repression.", 8)
L.s(14, CLAIM, "Economic sanctions on export giants",
    "Economic sanctions should target the large exporting enterprises that provide much of the state budget.", 9,
    {"sanctions": PRO})
L.s(15, CLAIM, "Aid for strikers via independent unions",
    "Such sanctions should go together with financial help, channelled through independent trade unions, for all "
    "workers who went on strike.", 9, {"support-society": PRO})
L.s(16, PREMISE, "Strikers take great risks",
    "Striking workers put their families' welfare and often their own freedom and health at risk.", 9)
L.s(17, CLAIM, "Keep helping victims of repression",
    "The EU and its members should go on helping repressed and injured Belarusians who need medical "
    "care, visas, education or relocation support.", 10, {"support-society": PRO})
L.s(18, CLAIM, "Baltic states should join visa-free plan",
    "The Baltic states, which share historical, business, institutional and personal ties with Belarus, should "
    "join the Visegrad countries' announced plan to let Belarusians travel without visas.", 10,
    {"support-society": PRO})
L.s(19, CLAIM, "Human-rights conditions for dialogue",
    "The EU should keep treating an investigation of every human-rights abuse and the freeing of all political "
    "prisoners as non-negotiable conditions before full dialogue and cooperation with the Belarusian leadership "
    "resume.", 11, {"human-rights-law": PRO})
L.s(20, EVIDENCE, "Latvia and the hockey championship",
    "Latvia's move to take away from Belarus its role as co-host of the 2021 ice hockey world championship "
    "unless the regime changes its treatment of protesters shows how varied instruments can express a firm "
    "position.", 11)
L.s(21, CLAIM, "A Marshall Plan for Belarus",
    "The EU should put a special 'Marshall Plan for Belarus' on offer during the transition period.", 12,
    {"economic-support": PRO})
L.s(22, EVIDENCE, "Economy bleeding money",
    "The Belarusian economy is losing heavily because of COVID-19, the protests, businesses moving abroad and "
    "emigration driven by repression.", 12)
L.s(23, PREMISE, "Delay deepens the need for aid",
    "The longer the authorities refuse to talk, the worse the economic crisis gets and the more outside money "
    "will be needed to rebuild the economy.", 12, {"economic-support": PRO})
L.s(24, PREMISE, "Russian aid costs independence",
    "Russia could only provide such help in return for deeper integration that would cost Belarus its "
    "independence, which its European neighbours want to prevent.", 12, {"russia": CON})
L.s(25, CLAIM, "A coherent, consistent EU line",
    "The EU should pursue a more coherent and consistent common approach toward Lukashenka and his officials.", 13,
    {"western-unity": PRO})
L.s(26, PREMISE, "Coherence makes policy work",
    "The more unified the EU's approach, the more effective its policies become: a common front tells the regime "
    "that its neighbours stand together with resolve, and tells Belarusians that their fight for freedom is seen "
    "and valued.", 13, {"western-unity": PRO})
L.inf([2, 3], 1, "Caught off guard by an unprecedented mobilisation")
L.inf([6, 10], 1, "Action so far came late and is incomplete")
L.inf([11], 1, "Step one: personal sanctions")
L.inf([12], 1, "Step one: personal sanctions")
L.inf([14], 1, "Step two: economic sanctions")
L.inf([17], 1, "Step three: help for Belarusians")
L.inf([19], 1, "Step four: conditions for dialogue")
L.inf([21], 1, "Step five: a Marshall Plan")
L.inf([25], 1, "Finally: coherence")
L.inf([5], 11, "Punish those who carried out the brutality")
L.inf([13], 12, "Commission heads took part in repression")
L.inf([16], 15, "Strikers deserve support")
L.inf([15], 1, "Step two: relief for striking workers")
L.inf([4], 17, "Victims of repression need help")
L.inf([18], 17, "Visas as a form of help")
L.inf([20], 19, "Firm conditions can be expressed in many ways")
L.inf([22], 23, "The losses keep mounting")
L.inf([23, 24], 21, "Only the West can fund reconstruction without a price in sovereignty")
L.inf([26, 7], 25, "Unity works and is missing")
L.inf([26, 9], 25, "Unity works and is missing")
L.att(1, 8)

# --------------------------------------------------------------------------------------
# Rust, "The need for a long-term approach to Belarus changes", p. 21
# --------------------------------------------------------------------------------------
rust = Contribution(
    slug="belarus-2020-rust",
    author=Author(
        id="rust",
        name="Maxim Rust",
        description="Political analyst researching post-Soviet political elites (PhD, University of Warsaw); "
        "contributing editor with New Eastern Europe.",
    ),
    section="The need for a long-term approach to Belarus changes",
    page=21,
    title="Belarus 2020: Rust, The need for a long-term approach to Belarus changes",
    description="Media coverage oversimplifies; the protests are Belarus-centred but share European values, the "
    "outcome is open and the ruling elite still matters. The West should take a far-sighted, long-term approach "
    "and avoid hasty moves such as rushing into sanctions.",
)
R = rust
R.s(1, CLAIM, "A far-sighted, long-term approach",
    "The West should approach Belarus with foresight and a long-term view that takes account of the many "
    "dimensions of what is happening there.", 7, {"long-term-strategy": PRO})
R.s(2, CLAIM, "Beware quick sanctions",
    "A hasty, poorly thought-through reaction, for instance rushing to impose sanctions, could well make the "
    "situation in Belarus worse.", 7, {"sanctions": CON, "long-term-strategy": PRO})
R.s(3, PREMISE, "A long-distance race",
    "The transformation of Belarus will be a long-distance race rather than a quick dash.", 7,
    {"long-term-strategy": PRO})
R.s(4, EVIDENCE, "One-sided media picture",
    "Media reporting on Belarus is often one-sided and paints an attractive but partly inaccurate image of the "
    "changes in society.", 1)
R.s(5, EVIDENCE, "Protests are Belarus-centred",
    "From the start the protests have been neither pro-Russian nor pro-Western; their focus is Belarus itself.", 2,
    {"geopolitics": CON})
R.s(6, PREMISE, "No geopolitical slogans, a strength",
    "Staying clear of slogans about Russia, the EU or NATO is the movement's chief asset: it helped the protests "
    "grow and gave hostile forces no opening for provocation.", 2, {"geopolitics": CON})
R.s(7, PREMISE, "European values without EU slogans",
    "Missing pro-EU slogans do not imply that the protesters reject European values: they want freedom and "
    "democracy and insist that their elementary dignity as people and citizens be respected.", 2)
R.s(8, CLAIM, "Why meddle without pro-EU slogans?",
    "If the protesters do not raise clear pro-EU slogans, the EU has no business meddling in the domestic "
    "affairs of a small neighbour.", 3, {"human-rights-law": CON},
    tags=held_by("some European politicians and experts"))
R.s(9, REBUTTAL, "Support every society fighting for dignity",
    "Any society fighting for its dignity and seeking to join the community of free peoples deserves support, "
    "all the more so on the EU's own border.", 3, {"human-rights-law": PRO, "support-society": PRO})
R.s(10, PREMISE, "European values are universal",
    "European values are universal, so backing Belarusians need not depend on what their slogans say.", 3)
R.s(11, REBUTTAL, "EU membership is not on the table anyway",
    "Whatever the slogans and whatever the outcome, any prospect of EU membership for Belarus is remote and vague "
    "in any case.", 3)
R.s(12, EVIDENCE, "Protests raise rule-of-law and equality issues",
    "Beyond freedom and democracy, the protests raise the rule of law, independent courts and press freedom, "
    "issues still contested in some EU states, and increasingly demands for equality from women's rights "
    "advocates, LGBT+ people and other groups facing discrimination.", 4)
R.s(13, PREMISE, "A modern European political nation",
    "These features mark Belarusians out as a modern political nation of a European kind.", 4)
R.s(14, CLAIM, "The revolution has already won",
    "The revolution in Belarus has already prevailed.", 5, tags=held_by("commentators using sweeping labels"))
R.s(15, REBUTTAL, "The outcome is open",
    "After more than two months the situation remains fluid and could change at any moment.", 5)
R.s(16, REBUTTAL, "Lukashenka's real support is unknown",
    "Nobody knows how much genuine support Lukashenka still enjoys in Belarusian society.", 5)
R.s(17, PREMISE, "Momentum and the apolitical majority",
    "Change depends on the protests keeping their momentum, and the part of society that has so far stayed "
    "apolitical and away from the streets may soon prove decisive.", 5)
R.s(18, CLAIM, "Don't underestimate the ruling elite",
    "The West should not underrate the Belarusian ruling elite.", 6, {"long-term-strategy": PRO})
R.s(19, EVIDENCE, "Weakened but still central elite",
    "The crisis has badly weakened the power elite, split it and cost it legitimacy with many ordinary people, "
    "yet it is still the main player in the political system.", 6)
R.s(20, REBUTTAL, "Betting only on new leaders is premature",
    "Staking everything on the new civic leaders alone would be premature.", 6, {"long-term-strategy": PRO})
R.s(21, CLAIM, "Rely only on the new leaders",
    "Western policy should count solely on the new leaders who have emerged from the protests.", 6,
    {"long-term-strategy": CON}, tags=held_by("implicit in Western expectations Rust questions"))
R.s(22, CLAIM, "Watch the mid-level nomenklatura",
    "The West should closely follow shifts inside the ruling elite, particularly in the mid-level nomenklatura, "
    "which is as weary of Lukashenka's politics as most of the population.", 6, {"long-term-strategy": PRO})
R.s(23, PREMISE, "Mid-level elite key to a calm handover",
    "The mid-level elite is likely to bear most responsibility for a relatively peaceful handover of power and "
    "for launching political, economic and social reforms.", 6, {"long-term-strategy": PRO})
R.s(24, CLAIM, "React fast, e.g. with immediate sanctions",
    "The West should react quickly, for example by imposing sanctions straight away.", 7, {"sanctions": PRO},
    tags=held_by("the quick reaction Rust warns against"))
R.s(25, PREMISE, "An example for Europe",
    "Set against a 'post-political' Europe, this civic uprising could serve the EU as a model.", 2)
R.inf([3], 1, "Change will take long")
R.inf([2], 1, "Haste is risky")
R.inf([12], 1, "A multi-dimensional process needs a multi-dimensional view")
R.inf([18], 1, "The elite stays relevant")
R.inf([22], 1, "Follow the elite")
R.inf([4], 2, "A distorted picture invites ill-considered moves")
R.inf([15], 2, "An open situation calls for caution")
R.inf([6], 5, "Why the Belarus-centred stance matters")
r_slogans = R.inf([5], 8, "No pro-EU slogans, so no involvement", endorsed=False)
R.inf([10], 9, "Universal values")
R.inf([7, 13], 9, "Belarusians share European values")
R.inf([25], 9, "An example for Europe")
R.inf([12], 13, "Modern civic demands")
R.inf([17], 15, "Much still depends on momentum")
R.inf([19], 18, "Still the main player")
R.inf([18], 20, "The old elite still matters")
R.inf([18, 23], 22, "Where a peaceful transfer will come from")
R.att(7, r_slogans, ConflictKind.UNDERCUT)
R.att(11, r_slogans, ConflictKind.UNDERCUT)
R.att(9, 8)
R.att(15, 14)
R.att(16, 14)
R.att(20, 21)
R.att(2, 24)

# --------------------------------------------------------------------------------------
# Soroka, "The crisis in Belarus: A US perspective", p. 25
# --------------------------------------------------------------------------------------
soroka = Contribution(
    slug="belarus-2020-soroka",
    author=Author(
        id="soroka",
        name="George Soroka",
        description="Lecturer in the Department of Government at Harvard University, affiliated with several of its "
        "centres for Russian, Ukrainian and European studies.",
    ),
    section="The crisis in Belarus: A US perspective",
    page=25,
    title="Belarus 2020: Soroka, The crisis in Belarus: A US perspective",
    description="Washington rightly avoids casting the crisis as a US-Russia contest, but should still help end it, "
    "preferably with Europe, in six arenas: channels to Moscow, free elections, coordinated sanctions, conditional "
    "economic incentives, human rights (with an offer to officials who committed no crimes) and diplomacy, "
    "including confirming an ambassador.",
)
Z = soroka
Z.s(1, CLAIM, "An active US role, ideally with Europe",
    "The United States should help bring the crisis to an end, preferably together with its European partners, "
    "working toward a democratic Belarus not hostile to the West.", 2, {"western-unity": PRO})
Z.s(2, PREMISE, "A defining moment for US relations",
    "Washington's response will shape its future ties with Moscow as well as Minsk, and could reshape "
    "relations with regional allies, Poland and the Baltic states among them, for a long time.", 1)
Z.s(3, EVIDENCE, "Opposition spans all of society",
    "The opposition targeted by Lukashenka's harsh tactics now draws on every social class and region of Belarus.",
    1)
Z.s(4, CLAIM, "A domestic matter, not a US-Russia contest",
    "Washington is right, on pragmatic grounds, to present the crisis as a matter for Belarusians to settle rather "
    "than as a geopolitical tug-of-war with Russia.", 2, {"geopolitics": CON})
Z.s(5, PREMISE, "Not another Maidan",
    "Events in Belarus unfold quite differently from Ukraine's Maidan protests of 2013-2014.", 2,
    {"geopolitics": CON})
Z.s(6, CLAIM, "A US-Russia geopolitical struggle",
    "The events in Belarus are a round in the geopolitical contest between the United States and Russia.", 2,
    {"geopolitics": PRO}, tags=held_by("the Kremlin, which is unlikely to accept Washington's framing"))
Z.s(7, PREMISE, "Domestic framing still allows a US role",
    "Seeing the crisis as Belarus's own affair does not stop the US from having a preferred outcome or from "
    "helping to resolve it.", 2)
Z.s(8, CLAIM, "Keep channels to Russia open",
    "The US should keep its communication channels with Russia open.", 4, {"russia": PRO})
Z.s(9, EVIDENCE, "No anti-Russian rhetoric",
    "The opposition does not play on anti-Russian sentiment, which would not appeal to much of Belarusian society "
    "anyway.", 4, {"geopolitics": CON})
Z.s(10, PREMISE, "Putin fears contagion",
    "Putin is clearly worried that Lukashenka's fall could foreshadow his own.", 4)
Z.s(11, CLAIM, "Invite Russia to be an honest broker",
    "Washington should tell Moscow that it has a rare chance to serve as an honest broker for a peaceful "
    "settlement, which would also do much to mend Russia's standing with the West.", 4,
    {"russia": PRO})
Z.s(12, CLAIM, "Warn against intervention or forced integration",
    "The US should state unambiguously that any Russian military move into Belarus, or a rush toward political "
    "integration under the 1999 Union State Treaty, which has mostly stayed on paper, would damage "
    "US-Russian relations further in ways dangerous for both.", 4, {"russia-deterrence": PRO})
Z.s(13, PREMISE, "Lukashenka may seek integration to survive",
    "Lukashenka might turn to fast integration with Russia as a last resort to keep some power or escape "
    "prosecution.", 4)
Z.s(14, CLAIM, "Back free elections and free speech, multilaterally",
    "The US should firmly support free elections, free media and freedom of speech, and help organise a "
    "multilateral response, for which the OSCE is the obvious forum.", 5,
    {"recognition-elections": PRO, "western-unity": PRO})
Z.s(15, CLAIM, "Prisoners freed, abuses investigated",
    "That response should press for freeing every political prisoner at once and for a full and open inquiry "
    "into the human-rights abuses tied to the protests.", 5, {"human-rights-law": PRO})
Z.s(16, CLAIM, "Rerun the election under OSCE/ODIHR",
    "As far as it can, the US should push for the fraudulent 9 August presidential vote to be held again under "
    "OSCE/ODIHR observation.", 5, {"recognition-elections": PRO})
Z.s(17, CLAIM, "Maintain and widen US sanctions",
    "The US should keep its sanctions on Belarus in place and extend them.", 6, {"sanctions": PRO})
Z.s(18, EVIDENCE, "US sanctions since 2006",
    "Unlike the EU and Canada, the US never lifted or substantially changed the targeted sanctions it imposed after "
    "the undemocratic 2006 election, covering nine state-owned firms and sixteen individuals, Lukashenka and "
    "Yarmoshyna among them.", 6)
Z.s(19, CLAIM, "Coordinate sanctions with Europe",
    "Stronger US sanctions should be coordinated with the relevant European actors, so that the earlier patchwork "
    "is not repeated.", 6, {"western-unity": PRO, "sanctions": PRO})
Z.s(20, CLAIM, "Sanctions punish the regime, not the economy",
    "Washington should make clear that the sanctions aim to punish particular companies and people tied to the "
    "repression, not to hurt the Belarusian economy as a whole.", 6)
Z.s(21, CLAIM, "Sanctions are meant to wreck the economy",
    "Western sanctions are designed to damage the Belarusian economy as a whole.", 6,
    tags=held_by("a perception Soroka wants the West to pre-empt"))
Z.s(22, CLAIM, "A conditional stimulus package",
    "The US should propose, and press allies in the region, and ideally Russia too, to draw up, a "
    "comprehensive stimulus plan for Belarus made of grants, loans and preferential access to foreign markets.", 7,
    {"economic-support": PRO, "russia": PRO})
Z.s(23, PREMISE, "Aid tied to elections and rights",
    "The package would start only once free and fair elections are held and basic human-rights benchmarks are "
    "met, which makes it an incentive for change.", 7, {"economic-support": PRO, "recognition-elections": PRO})
Z.s(24, REBUTTAL, "Risk of profiteering and Russian alarm",
    "A Western economic plan could look like profiting from Belarus's troubles and could alarm Moscow about its "
    "large financial stake in Belarus.", 7)
Z.s(25, CLAIM, "Reassure Moscow on its investments",
    "The West must avoid any appearance of profiteering and give Moscow credible assurances that Russia's large "
    "financial interests in Belarus will be respected.", 7, {"russia": PRO})
Z.s(26, CLAIM, "Take the abuses to the international arena",
    "The regime's violence against largely peaceful protesters contesting a plainly rigged election should be "
    "taken up internationally, and those who violated human rights should be vigorously prosecuted at home or "
    "abroad.", 8, {"human-rights-law": PRO})
Z.s(27, REBUTTAL, "Prosecution abroad is hard",
    "Prosecuting the perpetrators abroad would be difficult, not least because Belarus has not joined the "
    "European Convention on Human Rights.", 8)
Z.s(28, CLAIM, "Let clean officials keep their posts",
    "The international community should make clear that, if Lukashenka is ousted, officials who committed no "
    "crimes, including members of the security services, may keep their posts after reasonable vetting.", 8,
    {"long-term-strategy": PRO})
Z.s(29, PREMISE, "Make tolerance cheaper than repression",
    "Such an assurance would lead officials to judge that tolerating protesters costs them less than repressing "
    "them.", 8)
Z.s(30, CLAIM, "Let diplomacy work",
    "Despite the hard conditions, the US should keep working to restore substantive relations with Belarus, a "
    "country that is much more than the Lukashenka regime.", 9, {"diplomacy": PRO})
Z.s(31, EVIDENCE, "Ambassador nomination stalled",
    "After Secretary of State Pompeo's February 2020 visit to Minsk, the administration proposed sending an "
    "ambassador to a post empty since 2008, but Julie Fisher's nomination stalled in the Senate Foreign Relations "
    "Committee despite hearings in early August.", 9)
Z.s(32, CLAIM, "An ambassador now sends the wrong message",
    "Confirming a US ambassador to Minsk at this moment would send the wrong signal.", 9, {"diplomacy": CON},
    tags=held_by("some members of the Senate Foreign Relations Committee"))
Z.s(33, REBUTTAL, "An ambassador signals solidarity",
    "Confirming the ambassador would not help Lukashenka; it would show Belarusians that Washington has not "
    "forgotten them and will normalise relations once a democratically elected government is in power.", 9,
    {"diplomacy": PRO})
Z.s(35, CLAIM, "Safe return of exiled opposition",
    "The multilateral response should also ensure that exiled opposition leaders, Tsikhanouskaya among them, can "
    "come home safely.", 5, {"recognition-elections": PRO})
Z.s(34, PREMISE, "A good start against violence",
    "These six steps are a sound beginning if the immediate aim is to make it harder for Lukashenka to use "
    "violence to silence outrage over a stolen election.", 10)
Z.inf([2, 7], 1, "High stakes and room for a US role")
Z.inf([3], 1, "A society-wide opposition")
Z.inf([34], 1, "The six arenas serve the goal")
Z.inf([5], 4, "Belarus is not Ukraine")
Z.inf([8], 1, "Arena 1: Russia")
Z.inf([14], 1, "Arena 2: free elections")
Z.inf([17], 1, "Arena 3: sanctions")
Z.inf([22], 1, "Arena 4: economic incentives")
Z.inf([26], 1, "Arena 5: human rights")
Z.inf([28], 1, "Arena 5: human rights")
Z.inf([30], 1, "Arena 6: diplomacy")
Z.inf([9, 10], 11, "Russia's fears can be addressed by a broker role")
Z.inf([11], 8, "What to tell Moscow")
Z.inf([12], 8, "What to tell Moscow")
Z.inf([13], 12, "Pre-empting a last-ditch integration")
Z.inf([15], 14, "Content of the multilateral response")
Z.inf([16], 14, "Content of the multilateral response")
Z.inf([35], 14, "Content of the multilateral response")
Z.inf([18], 17, "An unbroken US sanctions record")
Z.inf([19], 17, "How to expand sanctions")
Z.inf([20], 17, "How to message sanctions")
Z.inf([23], 22, "Conditional aid as an incentive")
Z.inf([24], 25, "Answering the risks of the package")
Z.inf([29], 28, "Lowering the cost of defection")
Z.inf([31], 30, "The ambassador proposal already exists")
Z.inf([33], 30, "An ambassador serves the people")
Z.att(4, 6)
Z.att(20, 21)
Z.att(24, 22)
Z.att(27, 26)
Z.att(33, 32)

# --------------------------------------------------------------------------------------
# Kleczkowska, "Three reasons why the international community should engage ...", p. 31
# --------------------------------------------------------------------------------------
kleczkowska = Contribution(
    slug="belarus-2020-kleczkowska",
    author=Author(
        id="kleczkowska",
        name="Agata Kleczkowska",
        description="Assistant professor at the Institute of Law Studies, Polish Academy of Sciences, Warsaw.",
    ),
    section="Three reasons why the international community should engage with the situation in Belarus",
    page=31,
    title="Belarus 2020: Kleczkowska, Three reasons why the international community should engage",
    description="Engagement is not unlawful interference: human-rights violations are an international concern, "
    "Belarusians hold a right to self-determination that lets them ask for help, and Russia's legal pretexts for "
    "intervention are flawed. States should sanction violators, speak with one voice and deter Moscow.",
)
K = kleczkowska
K.s(1, CLAIM, "Engagement is lawful and needed",
    "The international community may lawfully get involved in the Belarusian crisis, Lukashenka cannot forbid "
    "it, and it should do it as effectively as possible.", 2, {"human-rights-law": PRO})
K.s(2, CLAIM, "Foreign engagement is interference",
    "Statements and involvement by foreign states and institutions amount to interference in Belarus's domestic "
    "affairs.", 1, {"human-rights-law": CON},
    tags=held_by("Lukashenka, endorsed by Putin and echoed by China's foreign ministry"))
K.s(3, CLAIM, "Neighbours are fomenting the unrest",
    "Poland, Lithuania, Ukraine, the EU and NATO are stirring up and financing the unrest.", 1,
    tags=held_by("Lukashenka"))
K.s(4, REBUTTAL, "No evidence of foreign subversion",
    "Lukashenka has produced no proof for his accusation of foreign subversion.", 1)
K.s(5, EVIDENCE, "Serious violations, widely condemned",
    "According to reports the regime has gravely violated the human rights of peaceful protesters; the EU, the "
    "Council of Europe, the OSCE, Amnesty International and Human Rights Watch have confirmed and condemned "
    "these abuses.", 3)
K.s(6, PREMISE, "Human rights are not a domestic matter",
    "Under the UN Charter's Article 2(7), abuses of human rights are no longer treated as part of a state's "
    "essentially domestic jurisdiction; they concern the international community as a whole.", 4,
    {"human-rights-law": PRO})
K.s(7, EVIDENCE, "UN organs have handled rights abuses before",
    "The UN General Assembly and the Security Council have both dealt with human-rights violations in the past.",
    4)
K.s(8, EVIDENCE, "Little from the UN so far",
    "Apart from the High Commissioner for Human Rights' firm condemnation, the UN has done little: Belarus came up "
    "only under other business at a closed Security Council meeting on Yemen on 18 August, in an informal online "
    "Council meeting with Tsikhanouskaya and in a brief statement by the Secretary-General.", 4)
K.s(9, CLAIM, "UN passivity is surprising",
    "Given the High Commissioner's strong stance, the passivity of the UN's main bodies is surprising.", 4)
K.s(10, EVIDENCE, "EU has the strongest tools",
    "Of the organisations involved, the EU has the most far-reaching means of pressure, including sanctions on "
    "the individuals behind the violence, repression and electoral fraud.", 3, {"sanctions": PRO})
K.s(11, EVIDENCE, "Cyprus veto delayed EU sanctions",
    "EU sanctions were held up at first because Cyprus vetoed them to gain leverage in an unrelated dispute.", 3,
    {"western-unity": PRO})
K.s(12, CLAIM, "International law is toothless",
    "International law is ineffective, since the international legal order cannot force binding decisions on "
    "states with or against their will.", 5, tags=held_by("a common view Kleczkowska answers"))
K.s(13, REBUTTAL, "Plenty of legal tools exist",
    "For human-rights violations in Belarus, states and international organisations have many tools: sanctions "
    "on persecutors, political and financial support for the persecuted, and a platform for the victims.", 5,
    {"human-rights-law": PRO})
K.s(14, PREMISE, "Law enables but cannot compel will",
    "International law can give states room to act but cannot supply the will to use it.", 5)
K.s(15, CLAIM, "Belarusians' right to self-determination",
    "Under international law Belarusians hold a right to self-determination, which has serious legal consequences "
    "both for them and for other states.", 6, {"human-rights-law": PRO})
K.s(16, PREMISE, "The stolen election violates that right",
    "Self-determination entitles Belarusians to choose their own political, economic, social and cultural path "
    "within their state; a falsified election and a president clinging to power without a democratic mandate "
    "violate that entitlement.", 6, {"human-rights-law": PRO})
K.s(17, PREMISE, "The Friendly Relations Declaration permits requests for help",
    "The UN Friendly Relations Declaration allows a people persecuted in pursuit of self-determination to ask "
    "third states for help by lawful means, though not for armed force against their own state.", 6,
    {"human-rights-law": PRO})
K.s(18, CLAIM, "How third states may help",
    "Other states may assist through diplomacy that gives Belarusian representatives a voice in international "
    "bodies, through financial and logistical support for the opposition and the persecuted, and through "
    "sanctions, individually or via international organisations.", 6,
    {"support-society": PRO, "sanctions": PRO})
K.s(19, EVIDENCE, "Tsikhanouskaya heard in international fora",
    "Tsikhanouskaya has already met the UN Security Council and the Council of Europe.", 6)
K.s(20, CLAIM, "Russia's influence is at stake",
    "Beyond human rights and democracy, the extent of Russia's influence is also at stake in Belarus, and the "
    "international community must keep that in mind.", 7, {"geopolitics": PRO})
K.s(21, PREMISE, "Kremlin could lose control; intervention discussed",
    "Lukashenka's fall and a Belarus closer to Europe would cost the Kremlin its control over the country, which "
    "is why armed intervention has come up in Putin's talks with Lukashenka.", 7, {"russia": CON})
K.s(22, PREMISE, "Consent-based assistance and treaties",
    "A state may lawfully invite foreign military help against internal unrest, and both the Union State treaty "
    "and the Collective Security Treaty Organisation charter provide for such help on request.", 8)
K.s(23, CLAIM, "Russia may intervene on invitation",
    "Russia could lawfully send forces into Belarus at Lukashenka's request.", 8, {"russia-deterrence": CON},
    tags=held_by("Russia (a suggested legal ground)"))
K.s(24, CLAIM, "A police contingent would be lawful",
    "Russia could legitimately dispatch a law-enforcement contingent to reinforce the Belarusian police if the "
    "protests go on.", 8, {"russia-deterrence": CON}, tags=held_by("Russia (a suggested legal ground)"))
K.s(25, PREMISE, "Ad hoc consent still required",
    "Even under those treaties, Russian military help would still need Lukashenka's specific consent at the "
    "time.", 8)
K.s(26, REBUTTAL, "Doubtful mandate and voluntariness",
    "Without legitimate popular support it is doubtful that Lukashenka has, or will have, the mandate and "
    "effective power to invite foreign troops, or that such an invitation would be freely given.", 9,
    {"russia-deterrence": PRO})
K.s(27, REBUTTAL, "A label changes little",
    "Calling the force a law-enforcement contingent instead of regular troops makes little difference, since "
    "Russian troops have appeared in various disguises before.", 9, {"russia-deterrence": PRO})
K.s(28, CLAIM, "Russia's legal case is flawed",
    "As with Ukraine and Georgia, Russia's apparently well-prepared legal justification has serious flaws, enough "
    "to put the legality of an intervention in doubt.", 9, {"russia-deterrence": PRO})
K.s(29, CLAIM, "Show Moscow strength and unity",
    "EU and NATO states should demonstrate strength and unity and make plain to Moscow that a repeat of the "
    "Ukrainian scenario will not be allowed.", 10, {"russia-deterrence": PRO, "russia": CON})
K.s(30, PREMISE, "Passivity does not serve peace",
    "A show of force is no instrument of peace, but standing idle before another possible Kremlin offensive would "
    "not serve peace either.", 10, {"russia-deterrence": PRO})
K.s(31, CLAIM, "States leave legal tools unused",
    "So far states have left many of their legal instruments for influencing Belarus unused.", 11)
K.s(32, CLAIM, "Show unity by sanctioning violators",
    "Above all, states should display a united front through sanctions on the people who bear responsibility "
    "for the human-rights violations.", 11, {"western-unity": PRO, "sanctions": PRO})
K.s(34, CLAIM, "Speak with one voice",
    "States should also speak with a single voice about developments in Belarus.", 11, {"western-unity": PRO})
K.s(33, CLAIM, "Mobilise now: time is short",
    "Because time is running short, both for the protesters and for Moscow's patience, states and international "
    "organisations, including universal ones such as the UN, should mobilise now to show that the rule of law can "
    "prevail over an order resting on lies and force.", 11, {"sanctions": PRO, "human-rights-law": PRO})
K.inf([5, 6], 1, "Reason 1: human-rights violations are an international concern")
K.inf([15], 1, "Reason 2: self-determination")
K.inf([18], 1, "Reason 2: lawful forms of help")
K.inf([20], 1, "Reason 3: Russia's influence")
K.inf([29], 1, "Engaging effectively: deterrence")
K.inf([32], 1, "Engaging effectively: sanctions")
K.inf([34], 1, "Engaging effectively: one voice")
K.inf([33], 1, "Engaging effectively: mobilisation")
K.inf([7], 6, "Past UN practice")
K.inf([3], 2, "Foreign plotting as interference", endorsed=False)
K.inf([8], 9, "A gap between the High Commissioner and the main organs")
K.inf([9], 33, "The UN should step up")
K.inf([13, 14], 31, "Tools exist, will is lacking")
K.inf([31], 32, "Use the tools that exist")
K.inf([10], 32, "Sanctions are the EU's strongest lever")
K.inf([11], 32, "Disunity slowed the response")
K.inf([17], 15, "Legal consequences of the right")
K.inf([16, 17], 18, "A violated right allows requests for help")
K.inf([19], 18, "Diplomatic help already given")
K.inf([21], 20, "The Kremlin's stake")
k_invite = K.inf([22], 23, "Invitation as a legal ground", endorsed=False)
K.inf([25, 26], 28, "Consent is needed and doubtful")
K.inf([27], 28, "Disguised troops")
K.inf([21, 30], 29, "Intervention is on the table and passivity is no answer")
K.inf([28], 29, "An intervention would lack legal cover")
K.att(1, 2)
K.att(6, 2)
K.att(4, 3, ConflictKind.UNDERMINE)
K.att(13, 12)
K.att(26, k_invite, ConflictKind.UNDERCUT)
K.att(28, 23)
K.att(27, 24)

CONTRIBUTIONS = [summary, marples, laputska, rust, soroka, kleczkowska]

# --------------------------------------------------------------------------------------
# Cross-author relations (debate map only). Ids start with "x-"; README lists each with
# its justification and locators.
# --------------------------------------------------------------------------------------
RS, MA, LA, RU, SO, KL = "reichardt-stepniewski", "marples", "laputska", "rust", "soroka", "kleczkowska"


def sid(author: str, n: int) -> str:
    return f"{author}-{n}"


CROSS_CONFLICTS = [
    Conflict(id="x-sanctions-timing", attacker=sid(RU, 2), target=sid(MA, 6)),
    Conflict(id="x-sanctions-urgency", attacker=sid(KL, 33), target=sid(RU, 2)),
    Conflict(id="x-lukashenka-support", attacker=sid(RU, 16), target=sid(MA, 16), kind=ConflictKind.UNDERMINE),
    Conflict(id="x-russia-broker", attacker=sid(KL, 21), target=sid(SO, 11)),
    Conflict(id="x-russia-co-mediator", attacker=sid(KL, 21), target=sid(MA, 15)),
    Conflict(id="x-geopolitics", attacker=sid(KL, 20), target=sid(SO, 4)),
    Conflict(id="x-russia-stimulus", attacker=sid(LA, 24), target=sid(SO, 22)),
    Conflict(id="x-non-interference", attacker=sid(KL, 6), target=sid(RU, 8)),
]
CROSS_EQUIVALENCES = [
    Equivalence(id="x-economic-package", first=sid(RS, 14), second=sid(LA, 21)),
    Equivalence(id="x-economic-package-us", first=sid(RS, 14), second=sid(SO, 22)),
    Equivalence(id="x-personal-sanctions", first=sid(RS, 4), second=sid(LA, 11)),
    Equivalence(id="x-economic-sanctions", first=sid(RS, 5), second=sid(LA, 14)),
    Equivalence(id="x-unity", first=sid(LA, 25), second=sid(KL, 34)),
    Equivalence(id="x-new-elections", first=sid(RS, 9), second=sid(MA, 18)),
    Equivalence(id="x-new-elections-osce", first=sid(MA, 18), second=sid(SO, 16)),
    Equivalence(id="x-political-prisoners", first=sid(RS, 6), second=sid(MA, 17)),
    Equivalence(id="x-non-recognition", first=sid(RS, 8), second=sid(MA, 10)),
    Equivalence(id="x-self-determination", first=sid(RS, 11), second=sid(KL, 15)),
    Equivalence(id="x-protests-orientation", first=sid(RS, 16), second=sid(RU, 5)),
    Equivalence(id="x-long-term", first=sid(RS, 13), second=sid(RU, 1)),
    Equivalence(id="x-russia-dialogue", first=sid(MA, 12), second=sid(SO, 8)),
    Equivalence(id="x-russia-not-ignored", first=sid(RS, 15), second=sid(MA, 13)),
    Equivalence(id="x-russia-deterrence", first=sid(MA, 14), second=sid(SO, 12)),
    Equivalence(id="x-russia-signal", first=sid(SO, 12), second=sid(KL, 29)),
    Equivalence(id="x-tsikhanouskaya-return", first=sid(MA, 21), second=sid(SO, 35)),
]
CROSS_INFERENCES = [
    Inference(id="x-unity-split", premises=[sid(LA, 7)], conclusion=sid(RS, 3), title="EU split shows incoherence"),
    Inference(id="x-unity-veto", premises=[sid(KL, 11)], conclusion=sid(RS, 3), title="Cyprus veto shows incoherence"),
    Inference(id="x-unity-coordination", premises=[sid(LA, 26)], conclusion=sid(SO, 19),
              title="Unity makes coordinated sanctions effective"),
    Inference(id="x-no-anti-russian-rhetoric", premises=[sid(SO, 9)], conclusion=sid(RU, 5),
              title="No anti-Russian rhetoric in the opposition"),
    Inference(id="x-kremlin-intentions", premises=[sid(KL, 21)], conclusion=sid(RS, 18),
              title="The Kremlin wants to keep control"),
    Inference(id="x-broad-opposition", premises=[sid(SO, 3)], conclusion=sid(MA, 16),
              title="A society-wide opposition"),
    Inference(id="x-human-rights-international", premises=[sid(KL, 6)], conclusion=sid(SO, 26),
              title="Abuses are an international matter"),
    Inference(id="x-support-legal-basis", premises=[sid(KL, 18)], conclusion=sid(LA, 17),
              title="International law allows helping the persecuted"),
    Inference(id="x-elite-incentives", premises=[sid(RU, 23)], conclusion=sid(SO, 28),
              title="Keep the mid-level elite on board"),
]

DEBATE_TITLE = "Belarus 2020: how should the West respond? (debate of six contributions)"
DEBATE_DESCRIPTION = (
    "All six contributions of IEŚ Policy Papers 8/2020 in one map, with the relations between authors: agreements "
    "(equivalences, ids x-...), support across contributions and clashes, notably Rust's caution against quick "
    "sanctions versus Marples' and Kleczkowska's urgency, engaging Russia versus deterring it, and Rust's doubt "
    "about Lukashenka's real support versus Marples' claim that he is plainly unpopular."
)


def debate() -> MapDocument:
    docs = [c.document() for c in CONTRIBUTIONS]
    return MapDocument(
        slug="belarus-2020-debate",
        title=DEBATE_TITLE,
        description=DEBATE_DESCRIPTION,
        language="en",
        citation=CITATION,
        authors=[c.author for c in CONTRIBUTIONS],
        sources=[SOURCE],
        topics=TOPICS,
        statements=[s for d in docs for s in d.statements],
        inferences=[i for d in docs for i in d.inferences] + CROSS_INFERENCES,
        conflicts=[c for d in docs for c in d.conflicts] + CROSS_CONFLICTS,
        equivalences=CROSS_EQUIVALENCES,
    )


def all_documents() -> dict[str, MapDocument]:
    out = {c.slug: c.document() for c in CONTRIBUTIONS}
    out["belarus-2020-debate"] = debate()
    return out


def main() -> int:
    failed = False
    for slug, doc in all_documents().items():
        problems = validate(doc)
        for p in problems:
            print(f"{slug}: {p.element} {p.id} {p.field}: {p.reason}", file=sys.stderr)
            failed = True
        data = msgspec.json.format(native.encode(doc), indent=2) + b"\n"
        (HERE / f"{slug}.argmap.json").write_bytes(data)
        print(f"{slug}: {len(doc.statements)} statements, {len(doc.inferences)} inferences, "
              f"{len(doc.conflicts)} conflicts, {len(doc.equivalences)} equivalences")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
