package io.frostbyte.policy;

import static java.util.Objects.requireNonNull;

import io.frostbyte.policy.AnchoredPatterns.Alternative;
import io.frostbyte.policy.InjectionCategory.Severity;
import io.frostbyte.policy.InjectionNormalizer.Marker;
import io.frostbyte.policy.InjectionNormalizer.Normalized;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prompt-injection scorer {@value #VERSION} (spec/03 §3.4). Scores one chunk: each window (one sentence, or two
 * consecutive sentences, at most {@value #MAX_WINDOW} characters) scores {@code min(1, max_weight + 0.1 × min(3,
 * distinct − 1))}; the chunk scores the maximum. Deterministic: the same text always gets the same verdict.
 *
 * <p>Cost: a category is scanned only with those of its alternatives whose anchor words occur in the chunk
 * ({@link AnchoredPatterns}), and the payload and shouting expressions only when the chunk has their shape
 * ({@link RegexPrefilters}); both skip only what could not match, so the verdicts are those of a full scan
 * ({@code GateOutputsTest}).
 *
 * <p>Thread-safe and immutable.
 */
public final class InjectionScorer {
    public static final String VERSION = "fb-inj/1.0.0";
    public static final double DEFAULT_FLAG_THRESHOLD = 0.3;
    public static final double DEFAULT_QUARANTINE_THRESHOLD = 0.7;
    static final int MAX_WINDOW = 600;
    private static final double MENTION_FACTOR = 0.35;
    private static final int MAX_DECODED_PAYLOADS = 64;

    private static final Map<InjectionCategory, List<Alternative>> TABLE = Map.ofEntries(
            Map.entry(
                    InjectionCategory.DIRECT_INSTRUCTION_OVERRIDE,
                    List.of(
                            alt(
                                    "\\b(?:ignore|disregard|forget|override|bypass)\\s+(?:about\\s+)?(?:all\\s+|any\\s+|the\\s+|your\\s+){0,2}"
                                            + "(?:previous|prior|earlier|above|preceding|original|system)\\s+(?:instructions?|prompts?"
                                            + "|directions?|directives?|rules|guidelines|context|tasks?|assignments?|orders|commands"
                                            + "|information)\\b",
                                    "ignore",
                                    "disregard",
                                    "forget",
                                    "override",
                                    "bypass"),
                            alt(
                                    "\\bforget\\s+(?:about\\s+)?(?:everything|all)\\s+(?:above|before|previous|we\\s+discussed"
                                            + "|you\\s+(?:were|have\\s+been)\\s+told)",
                                    "forget"),
                            alt(
                                    "\\b(?:ignore|disregard|forget)\\s+(?:all\\s+)?(?:your|the)\\s+(?:instructions|assignments|tasks)\\b",
                                    "ignore",
                                    "disregard",
                                    "forget"),
                            // "drop all your instructions", "ignore all documents provided", "abandon all your
                            // thoughts"
                            alt(
                                    "\\b(?:ignore|disregard|forget|drop|abandon|discard)\\s+(?:(?:all|any)\\s+(?:of\\s+)?"
                                            + "(?:your\\s+|the\\s+|my\\s+)?|your\\s+)(?:previous\\s+|prior\\s+|earlier\\s+|above\\s+"
                                            + "|provided\\s+|current\\s+)?(?:instructions?|prompts?|directives?|rules|guidelines"
                                            + "|thoughts|programming|restrictions|documents?|articles?|context|information)\\b",
                                    "ignore",
                                    "disregard",
                                    "forget",
                                    "drop",
                                    "abandon",
                                    "discard"),
                            alt(
                                    "\\b(?:ignore|forget|disregard)\\s+(?:about\\s+)?(?:everything|the\\s+above|above)\\b",
                                    "ignore",
                                    "forget",
                                    "disregard"),
                            alt("\\b(?:change|replace)\\s+your\\s+instructions\\b", "your instructions"),
                            alt("\\byour\\s+(?:new\\s+)?instructions\\s+are\\s+now\\b", "instructions are now"),
                            alt(
                                    "\\bleave\\s+all\\s+(?:the\\s+)?previous\\s+(?:information|instructions)\\s+behind\\b",
                                    "leave all"),
                            alt(
                                    "\\b(?:vergiss|vergessen\\s+sie|ignoriere|ignorieren\\s+sie)\\s+(?:nun\\s+|jetzt\\s+)?"
                                            + "(?:alles|alle|die\\s+(?:obigen|vorherigen|bisherigen))\\b",
                                    "vergiss",
                                    "vergessen",
                                    "ignorier"),
                            alt(
                                    "\\b(?:obigen|vorherigen|bisherigen|vorangegangenen)\\s+(?:\\p{L}+\\s+)?(?:ausführungen"
                                            + "|anweisungen|instruktionen|aufgaben|informationen)\\s+(?:ignorieren|vergessen"
                                            + "|aus\\s+dem\\s+kopf)",
                                    "ignorieren",
                                    "vergessen",
                                    "aus dem kopf"),
                            alt(
                                    "\\babweichend\\s+(?:zu|von)\\s+(?:den\\s+)?(?:vorherigen|bisherigen)\\s+(?:instruktionen"
                                            + "|anweisungen)",
                                    "abweichend"),
                            alt(
                                    "\\balle\\s+(?:vorherigen|bisherigen)\\s+informationen,?\\s+die\\s+sie\\s+erhalten\\s+haben",
                                    "erhalten haben"),
                            alt(
                                    "\\b(?:olvida|olvide|ignora)\\s+(?:todo|todas\\s+las\\s+instrucciones)\\b",
                                    "olvid",
                                    "ignora"),
                            alt("\\bolvidar\\s+todo\\b", "olvidar todo"),
                            alt("\\bzaboravi\\s+sve\\b", "zaboravi sve"),
                            alt("\\boubliez\\s+(?:toutes\\s+les\\s+instructions|tout)\\b", "oubliez"),
                            alt(
                                    "(?<!\\p{L})(?:забудь|забудьте|игнорируй|игнорируйте)\\s+(?:все|всё|bce)(?!\\p{L})",
                                    "забудь",
                                    "игнорируй"))),
            Map.entry(
                    InjectionCategory.ROLE_ASSUMPTION,
                    List.of(
                            alt(
                                    "\\byou\\s+are\\s+now\\s+(?:an?\\s+|the\\s+)?(?:\\w+\\s+){0,2}(?:assistant|ai|model|chatbot|dan"
                                            + "|jailbroken|unrestricted|unfiltered|uncensored|developer\\s+mode)\\b",
                                    "you are now"),
                            alt(
                                    "\\b(?:act|behave)\\s+as\\s+if\\s+you\\s+(?:have|had)\\s+no\\s+(?:restrictions|rules|limits)",
                                    "as if you"),
                            alt("\\bpretend\\s+(?:that\\s+)?you\\s+have\\s+no\\s+(?:restrictions|rules)", "pretend"),
                            alt("\\byou\\s+are\\s+now\\s+(?:an?\\s+|the\\s+)?\\w{0,30}(?:bot|gpt)\\b", "you are now"))),
            Map.entry(
                    InjectionCategory.DELIMITER_INJECTION,
                    List.of(
                            alt("<\\|(?:im_start|im_end|system|endoftext|begin_of_text|start_header_id)\\|>", "<|"),
                            alt("\\[/?inst\\]", "inst]"),
                            alt("<</?sys>>", "sys>>"),
                            alt("```\\s*system\\b", "```"),
                            alt("(?m)^\\s{0,3}#{1,6}\\s*instructions?\\s*:", "instruction"))),
            Map.entry(
                    InjectionCategory.JAILBREAK_ATTEMPT,
                    List.of(
                            alt(
                                    "\\byou\\s+have\\s+no\\s+(?:content\\s+)?(?:polic(?:y|ies)|restrictions|filters)",
                                    "you have no"),
                            alt(
                                    "\\b(?:ignore|bypass|disable)\\s+(?:your\\s+|all\\s+|the\\s+)?(?:safety|content)\\s+"
                                            + "(?:guidelines|filters?|polic(?:y|ies)|training)",
                                    "ignore",
                                    "bypass",
                                    "disable"),
                            alt(
                                    "\\b(?:dan|developer)\\s+mode\\s+(?:enabled|activated|on)\\b",
                                    "mode enabled",
                                    "mode activated",
                                    "mode on"),
                            alt(
                                    "\\bno\\s+(?:programming|ethical|moral)\\s+(?:guidelines|restrictions|limits)\\b",
                                    "no programming",
                                    "no ethical",
                                    "no moral"),
                            alt(
                                    "\\b(?:completely|totally)\\s+(?:immoral|amoral|unfiltered|uncensored)\\b",
                                    "moral",
                                    "unfiltered",
                                    "uncensored"))),
            Map.entry(
                    InjectionCategory.SYSTEM_PROMPT_LEAKAGE,
                    List.of(
                            alt(
                                    "\\b(?:repeat|reveal|print|show|output)\\s+(?:me\\s+)?(?:all\\s+)?(?:your|the)\\s+(?:full\\s+|hidden\\s+"
                                            + "|initial\\s+|entire\\s+)?(?:system\\s+prompt|system\\s+message|instructions|prompt\\s+texts?)",
                                    "system prompt",
                                    "system message",
                                    "instructions",
                                    "prompt text"),
                            alt(
                                    "\\bwhat\\s+(?:is|are)\\s+your\\s+(?:system\\s+prompt|initial\\s+instructions|hidden\\s+instructions"
                                            + "|instructions)",
                                    "what is your",
                                    "what are your"),
                            alt(
                                    "\\b(?:vorzeigen|zeige?|nenne)\\s+(?:mir\\s+)?(?:sämtlicher|alle|deine|ihre)\\s+prompt-?texte",
                                    "prompt"))),
            Map.entry(
                    InjectionCategory.MULTI_TURN_MANIPULATION,
                    List.of(alt(
                            "\\bin\\s+(?:your|the)\\s+(?:next|following|every)\\s+(?:response|reply|answer)s?,?\\s+"
                                    + "(?:always|you\\s+must|never)\\b",
                            "response",
                            "reply",
                            "answer"))),
            Map.entry(
                    InjectionCategory.OBFUSCATION_MARKER,
                    List.of(
                            alt(
                                    "\\b(?:decode|decrypt|rot13)\\s+(?:this|the\\s+following)\\s?:",
                                    "decode",
                                    "decrypt",
                                    "rot13"),
                            alt(
                                    "\\b(?:execute|run|eval)\\s?:\\s?[a-z0-9+/=]{20,}+",
                                    "execute:",
                                    "execute :",
                                    "run:",
                                    "run :",
                                    "eval:",
                                    "eval :"))),
            Map.entry(
                    InjectionCategory.PERSONA_INSTRUCTION,
                    List.of(
                            alt(
                                    "\\b(?:i\\s+want\\s+you\\s+to|you\\s+(?:will|must|should)|please)\\s+act\\s+as\\b",
                                    "act as"),
                            alt("(?m)^\\s{0,3}act\\s+as\\s+(?:an?|the|my)\\b", "act as"),
                            alt(
                                    "\\bact(?<!(?:will|shall|to|may|can|must|could|would|should|who|which|that|and|or) act)"
                                            + "\\s+as\\s+(?:an?|two|three)\\s+(?:\\w+\\s+)?(?:interpreter|terminal|entities"
                                            + "|console|linux|python|chatbot|ai)\\b",
                                    "act as"),
                            alt("\\bpretend\\s+(?:that\\s+)?(?:you\\s+are|to\\s+be|you\\s+can)\\b", "pretend"),
                            alt("\\bimagine\\s+(?:that\\s+)?you\\s+are\\b", "imagine"),
                            alt("\\byou\\s+are\\s+(?:now\\s+)?role-?playing\\b", "role"),
                            alt("\\brespond\\s+as\\s+such\\b", "respond as such"),
                            alt("\\bnow\\s+you\\s+are\\b", "now you are"),
                            alt("\\bfrom\\s+now\\s+(?:on\\s+)?known\\s+as\\b", "known as"),
                            alt(
                                    "\\banswer\\s+(?:the\\s+following\\s+question\\s+)?in\\s+the\\s+style\\s+of\\b",
                                    "in the style of"),
                            alt("\\b(?:antworte|beantworte)\\s+(?:\\p{L}+\\s+){0,3}im\\s+stile?\\b", "antworte"),
                            alt("\\bstell\\s+dir\\s+vor,?\\s+du\\s+bist\\b", "stell dir vor"),
                            alt("\\b(?:jetzt|nun)\\s+bist\\s+du\\b", "bist du"),
                            alt("\\bich\\s+möchte,?\\s+dass\\s+sie\\s+als\\b", "dass sie als"))),
            Map.entry(
                    InjectionCategory.TASK_HIJACK,
                    List.of(
                            alt("\\b(?:focus|concentrate)\\s+on\\s+(?:your|the)\\s+new\\s+task", "new task"),
                            alt("\\bnew\\s+(?:tasks?|instructions)\\s+follow", "new task", "new instructions"),
                            alt("\\bnow\\s+further\\s+tasks\\b", "now further tasks"),
                            alt("\\b(?:start|begin)\\s+with\\s+a\\s+new\\s+task\\b", "new task"),
                            alt(
                                    "\\b(?:need|want)\\s+your\\s+help\\s+with\\s+(?:another|a\\s+new|the\\s+following)\\s+"
                                            + "(?:task|question)\\b",
                                    "your help with"),
                            alt(
                                    "\\bhelp\\s+me\\s+with\\s+(?:the\\s+following|another|a\\s+new)\\s+task\\b",
                                    "help me with"),
                            alt("\\b(?:a\\s+)?(?:great\\s+)?new\\s+challenge\\s+for\\s+you\\b", "challenge for you"),
                            alt(
                                    "\\b(?:konzentriere\\s+dich|konzentrieren\\s+sie\\s+sich|sich)\\s+(?:jetzt\\s+|nun\\s+)?auf\\s+"
                                            + "(?:deine|ihre|die)\\s+neue",
                                    "neue"),
                            alt("\\b(?:nun|jetzt)\\s+folgen\\s+(?:neue|weitere)\\s+(?:aufgaben|anweisungen)", "folgen"),
                            alt(
                                    "\\b(?:hilf\\s+mir|hilfe\\s+bei)\\s+(?:nun\\s+|jetzt\\s+)?(?:mit\\s+|bei\\s+)?(?:folgender"
                                            + "|einer\\s+weiteren|einer\\s+neuen)\\s+(?:aufgabe|frage)\\b",
                                    "hilf"),
                            alt("\\bneue\\s+herausforderung\\s+für\\s+dich\\b", "herausforderung"),
                            alt("\\b(?:attention|achtung)\\s*-?\\s*(?:stop|stopp)\\b", "stop"),
                            alt("(?:^|[\\s?.!])stop\\s*[:\\-]\\s*(?:write|say|schreib\\w*|sag\\w*)\\b", "stop"),
                            alt("\\badditional\\s+instruction\\s*[:\\-]", "additional instruction"),
                            alt(
                                    "\\b(?:generate|write|schreibe?|generiere|generieren\\s+sie)\\s+(?:\\p{L}+\\s+)?(?:c\\+\\+"
                                            + "|python|javascript|java|sql|bash)(?![\\p{L}\\d+])",
                                    "c++",
                                    "python",
                                    "java",
                                    "sql",
                                    "bash"))),
            Map.entry(
                    InjectionCategory.CONTEXT_DISMISSAL,
                    List.of(
                            alt(
                                    "\\b(?:not|never|without)\\s+(?:by|from|according\\s+to|based\\s+on|look(?:ing)?\\s+(?:in|at)"
                                            + "|using)\\s+(?:the\\s+)?(?:provided\\s+)?(?:articles?|documents?|context|sources)\\b",
                                    "article",
                                    "document",
                                    "context",
                                    "sources"),
                            alt(
                                    "\\b(?:disregarding|ignoring)\\s+(?:all\\s+)?(?:the\\s+)?(?:provided\\s+)?(?:articles?|documents?"
                                            + "|artikels?|context),?\\s+(?:provide|tell|write|say|answer|give|explain|list)\\b",
                                    "disregarding",
                                    "ignoring"),
                            alt("\\banswer\\s+(?:by|from|with)\\s+your\\s+own\\s+knowledge\\b", "own knowledge"),
                            alt(
                                    "\\bdon'?n?'?t\\s+answer\\s+the\\s+question\\s+(?:according|based)",
                                    "answer the question"),
                            alt(
                                    "\\buse\\s+(?:also\\s+)?(?:the\\s+)?information\\s+in\\s+the\\s+prompt\\b",
                                    "information in the prompt"),
                            alt("\\bwhat\\s+is\\s+written\\s+above\\b", "written above"),
                            alt("\\bsentences?\\s+before\\s+the\\s+text\\b", "before the text"),
                            alt("\\bdespite\\s+what\\s+you(?:'ve|\\s+have)\\s+been\\s+told\\b", "been told"),
                            alt("\\bif\\s+you\\s+don'?t\\s+know,?\\s+make\\s+something\\s+up\\b", "make something up"),
                            alt("\\bnicht\\s+an\\s+die\\s+dinge\\s+zu\\s+erinnern\\b", "dinge zu erinnern"))),
            Map.entry(
                    InjectionCategory.OUTPUT_COERCION,
                    List.of(
                            alt(
                                    "\\b(?:just|only|simply)\\s+(?:say|output|print|write|respond\\s+with|answer\\s+with)\\b",
                                    "just say",
                                    "just output",
                                    "just print",
                                    "just write",
                                    "just respond",
                                    "just answer",
                                    "only say",
                                    "only output",
                                    "only print",
                                    "only write",
                                    "only respond",
                                    "only answer",
                                    "simply say",
                                    "simply output",
                                    "simply print",
                                    "simply write",
                                    "simply respond",
                                    "simply answer"),
                            alt(
                                    "\\b(?:say|output|print|respond\\s+with|answer\\s+with|reply\\s+with)\\s*:?\\s*\"",
                                    "\""),
                            alt("\\brepeat\\s+after\\s+me\\b", "repeat after me"),
                            alt(
                                    "\\b(?:say|state|admit|confirm)\\s+(?:that\\s+)?(?:you\\s+(?:hate|love|are)|yes\\b)",
                                    "you hate",
                                    "you love",
                                    "you are",
                                    "yes"),
                            alt(
                                    "(?:^|(?<=[.!?:;\\-]\\s))(?:state|claim|declare)\\s+that\\b",
                                    "state that",
                                    "claim that",
                                    "declare that"),
                            alt("\\binclude\\s+that\\s+you\\b", "include that you"),
                            alt("\\btell\\s+me\\s+that\\s+you\\b", "tell me that you"),
                            alt("\\bthe\\s+(?:correct|right)\\s+answer\\s+is\\b", "answer is"),
                            alt("\\bdie\\s+richtige\\s+antwort\\s+ist\\b", "richtige antwort"),
                            alt("\\bevery\\s+time\\s+you\\s+get\\s+a\\s+question\\b", "you get a question"),
                            alt("\\bi\\s+command\\s+you\\b", "command you"),
                            alt(
                                    "\\bsagen\\s+können,?\\s+wenn\\s+sie\\s+etwas\\s+gefragt\\s+werden\\b",
                                    "gefragt werden"),
                            alt("\\bdass\\s+sie\\s+mir\\s+\"", "dass sie mir"),
                            alt(
                                    "\\b(?:oder\\s+du\\s+stirbst|or\\s+you(?:'ll|\\s+will)?\\s+die|o\\s+tu\\s+muertes)\\b",
                                    "stirbst",
                                    "or you",
                                    "muertes"),
                            alt("\\bif\\s+you\\s+don'?t\\s+answer\\b", "if you don"),
                            alt("\\b(?:untrue|false|fake)\\s+(?:headline|news|claim)s?\\b", "untrue", "false", "fake"),
                            alt("\\bunwahre\\s+überschrift\\b", "unwahre"))),
            Map.entry(
                    InjectionCategory.ROLE_PLAY_SETUP,
                    List.of(
                            alt(
                                    "\\b(?:stay|stays|remain|bleiben)\\s+(?:\\p{L}+\\s+){0,2}in\\s+(?:their|his|her|ihren|seiner|ihrer)"
                                            + "\\s+(?:roles?|rollen?)\\b",
                                    "role",
                                    "rolle"),
                            alt("\\b(?:do\\s+not|don't|never)\\s+break\\s+character\\b", "break character"),
                            alt("\\baus\\s+(?:ihrer|der|seiner)\\s+rolle\\s+(?:zu\\s+)?fallen", "rolle"),
                            alt("\\bact\\s+as\\s+two\\s+entities\\b", "two entities"),
                            alt("\\btheoretical\\s+world\\s+where\\s+you\\b", "theoretical world"))),
            Map.entry(
                    InjectionCategory.CONTEXT_SPOOFING,
                    List.of(
                            alt("(?:\\\\{1,3}\\s?/\\s?){3,}+", "\\"),
                            alt("(?:\\\\{1,3}\\s?n\\s?){3,}+", "\\"),
                            alt("(?:\\\\n?|/)\\s{0,3}instruction\\s?:", "instruction"),
                            alt(
                                    "(?:\\b(?:input|eingabe)\\s?:[^\\n:]{1,40}?\\b(?:output|ausgabe)\\s?:[^\\n:]{1,40}?){3}",
                                    "input", "eingabe"),
                            alt(
                                    "(?m)^\\s{0,3}(?:document\\s+context|context\\s?:\\s?\\{|\\$documents?\\s?:)",
                                    "context",
                                    "$document"),
                            alt("(?m)^\\s{0,3}(?:artikel|kontext)\\s+\\p{L}[^\\n?]{0,80}?\\s(?:frage)\\s", "frage"))),
            Map.entry(
                    InjectionCategory.INSTRUCTION_LIKE_IMPERATIVE,
                    List.of(alt(
                            "\\b(?:do\\s+not\\s+mention|never\\s+reveal|always\\s+say|you\\s+must\\s+(?:respond|answer|reply|say))\\b",
                            "not mention",
                            "never reveal",
                            "always say",
                            "you must"))),
            Map.entry(
                    InjectionCategory.SECOND_PERSON_COMMAND,
                    List.of(alt(
                            "\\b(?:your\\s+new\\s+(?:role|task|objective)\\s+is|from\\s+now\\s+on,?\\s+you\\s+(?:will|must|are))\\b",
                            "your new",
                            "from now on"))),
            Map.entry(
                    InjectionCategory.GENERIC_OVERRIDE,
                    List.of(
                            alt("\\bnew\\s+instructions?\\s?:", "new instruction"),
                            alt("(?m)^\\s{0,3}(?:system|assistant)\\s?:", "system", "assistant"))),
            Map.entry(
                    InjectionCategory.ATTENTION_PIVOT,
                    List.of(
                            alt(
                                    "\\b(?:very\\s+good|well\\s+done|excellent\\s+performance|simply\\s+great|sehr\\s+gut"
                                            + "|einfach\\s+großartig|herzlichen\\s+glückwunsch)\\b",
                                    "very good",
                                    "well done",
                                    "excellent performance",
                                    "simply great",
                                    "sehr gut",
                                    "einfach großartig",
                                    "herzlichen glückwunsch"),
                            alt(
                                    "\\b(?:that\\s+is|that's)\\s+(?:enough|done)\\b",
                                    "that is enough",
                                    "that is done",
                                    "that's enough",
                                    "that's done"),
                            alt("\\bdas\\s+(?:genügt|ist\\s+erledigt)\\b", "das genügt", "das ist erledigt"),
                            alt("\\b(?:but\\s+)?now\\s+come\\s+on\\b", "now come on"),
                            alt("\\baber\\s+jetzt\\s+komm\\b", "aber jetzt komm"))),
            Map.entry(
                    InjectionCategory.WRITING_IMPERATIVE,
                    List.of(
                            alt(
                                    "(?:^|(?<=[.!?:;\\-]\\s))(?:write|generate|formulate|compose|say|print|verfasse|schreibe?"
                                            + "|formuliere|generiere|generieren\\s+sie|sage?)\\s",
                                    "write",
                                    "generate",
                                    "formul",
                                    "compose",
                                    "say",
                                    "print",
                                    "verfasse",
                                    "schreib",
                                    "generier",
                                    "sag"),
                            alt(
                                    "\\b(?:now|nun|jetzt)\\s+(?:please\\s+)?(?:write|say|tell|verfasse|schreibe?|sage?)\\b",
                                    "write",
                                    "say",
                                    "tell",
                                    "verfasse",
                                    "schreib",
                                    "sag"),
                            alt(
                                    "\\b(?:write|schreibe?)\\s+(?:me\\s+|mir\\s+)?(?:a|an|ein|eine)\\s+(?:reason|begründung"
                                            + "|manifesto|manifest)\\b",
                                    "reason",
                                    "begründung",
                                    "manifest"))));

    static final AnchoredPatterns PATTERNS = new AnchoredPatterns(TABLE);
    private static final InjectionCategory[] CATEGORIES = InjectionCategory.values();

    private static final Pattern NEGATION = Pattern.compile("\\b(?:not|never|don't|dont|no)\\b");
    private static final Pattern DISCUSSION_CUE = Pattern.compile("\\b(?:example|e\\.g\\.|such\\s+as|phrases?|called"
            + "|known\\s+as|injections?|attacks?|attackers?|malicious|detect\\w*|filter\\w*)\\b");
    static final int MIN_BASE64 = 24;
    static final Pattern BASE64 = Pattern.compile("(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{" + MIN_BASE64 + ",4096}+={0,2}");
    private static final Pattern ROT13 = Pattern.compile("\\brot-?13\\b");
    /** Three or more words in capitals; a shouted run that contains an instruction word is an embedded command. */
    static final Pattern SHOUTED =
            Pattern.compile("(?<!\\p{L})(?<!\\p{Lu}[!,.?:\"]?\\s)(?:\\p{Lu}{2,40}+[!,.?:\"]?\\s){2,24}\\p{Lu}{2,40}+");

    private static final Pattern SHOUTED_COMMAND = Pattern.compile("\\b(?:ignore|forget|output|say|answer|respond|write"
            + "|print|do\\s+not|don't|just|command|use|antworte|sag|schreib|du\\s+bist|musst|vergiss|ignoriere)\\b");
    /** Letters written one by one with spaces between them ("S a y t h a t"), re-read without the spaces. */
    static final int MIN_SPACED_PAIRS = 6;

    static final Pattern SPACED = Pattern.compile(
            "(?<!\\p{L})(?<!(?<!\\p{L})\\p{L} )(?:\\p{L} ){" + MIN_SPACED_PAIRS + ",400}\\p{L}(?!\\p{L})");

    /** Command stems that spaced-out letters join into ("sayyouhate", "ignoreall"). */
    private static final Pattern SPACED_COMMAND = Pattern.compile(
            "ignore|forget|disregard|instruction|systemprompt|saythat|sayyes|youhate|ihate|password|jailbreak|vergiss");

    private static final Set<InjectionCategory> PAYLOAD_CATEGORIES = EnumSet.of(
            InjectionCategory.DIRECT_INSTRUCTION_OVERRIDE,
            InjectionCategory.ROLE_ASSUMPTION,
            InjectionCategory.JAILBREAK_ATTEMPT,
            InjectionCategory.SYSTEM_PROMPT_LEAKAGE,
            InjectionCategory.PERSONA_INSTRUCTION,
            InjectionCategory.OUTPUT_COERCION);

    private final double flagThreshold;
    private final double quarantineThreshold;

    /** A scorer with the default thresholds (flag 0.3, quarantine 0.7). */
    public InjectionScorer() {
        this(DEFAULT_FLAG_THRESHOLD, DEFAULT_QUARANTINE_THRESHOLD);
    }

    public InjectionScorer(double flagThreshold, double quarantineThreshold) {
        InjectionAction.of(0, flagThreshold, quarantineThreshold);
        this.flagThreshold = flagThreshold;
        this.quarantineThreshold = quarantineThreshold;
    }

    /** Scores one chunk of stored (unnormalized) text. */
    public InjectionVerdict score(String chunk) {
        requireNonNull(chunk, "chunk is null");
        Normalized normalized = InjectionNormalizer.normalize(chunk);
        String text = normalized.text();
        int[] sentences = sentences(text);
        List<Hit> hits = new ArrayList<>();
        AnchoredPatterns.Present anchors = PATTERNS.scan(text);
        for (InjectionCategory category : PATTERNS.categories()) {
            Pattern pattern = PATTERNS.patternFor(category, anchors);
            if (pattern == null) {
                continue;
            }
            Matcher m = pattern.matcher(text);
            while (m.find()) {
                double weight = category.severity().weight();
                if (category.severity() != Severity.LOW && mention(text, sentences, m.start(), m.end())) {
                    weight *= MENTION_FACTOR;
                }
                hits.add(new Hit(category, m.start(), weight));
            }
        }
        for (Marker marker : normalized.markers()) {
            hits.add(new Hit(
                    marker.category(),
                    marker.position(),
                    marker.category().severity().weight()));
        }
        decodedPayloads(normalized, hits);
        shouted(normalized, hits);
        hits.sort(Comparator.comparingInt(Hit::position).thenComparing(Hit::category));

        double best = 0;
        EnumSet<InjectionCategory> categories = EnumSet.noneOf(InjectionCategory.class);
        int count = sentences.length / 2;
        for (int s = 0; s < count; s++) {
            int start = sentences[2 * s];
            int end = sentences[2 * s + 1];
            best = Math.max(best, window(hits, normalized, start, end, categories));
            if (s + 1 < count && sentences[2 * s + 3] - start <= MAX_WINDOW) {
                best = Math.max(best, window(hits, normalized, start, sentences[2 * s + 3], categories));
            }
        }
        double score = Math.round(best * 10_000) / 10_000.0;
        return new InjectionVerdict(score, InjectionAction.of(score, flagThreshold, quarantineThreshold), categories);
    }

    private static double window(
            List<Hit> hits, Normalized normalized, int start, int end, EnumSet<InjectionCategory> seen) {
        double[] weights = new double[CATEGORIES.length];
        int from = firstHitAtOrAfter(hits, start);
        for (int i = from; i < hits.size() && hits.get(i).position() < end; i++) {
            Hit hit = hits.get(i);
            weights[hit.category().ordinal()] = Math.max(weights[hit.category().ordinal()], hit.weight());
        }
        int invisible = countInRange(normalized.invisible(), normalized.invisibleCount(), start, end);
        if (invisible > 0 && invisible > 0.01 * (end - start + invisible)) {
            weights[InjectionCategory.INVISIBLE_CHARS.ordinal()] = Math.max(
                    weights[InjectionCategory.INVISIBLE_CHARS.ordinal()],
                    InjectionCategory.INVISIBLE_CHARS.severity().weight());
        }
        double max = 0;
        int distinct = 0;
        for (InjectionCategory category : CATEGORIES) {
            double weight = weights[category.ordinal()];
            if (weight > 0) {
                distinct++;
                max = Math.max(max, weight);
                seen.add(category);
            }
        }
        if (distinct == 0) {
            return 0;
        }
        return Math.min(1, max + 0.1 * Math.min(3, distinct - 1));
    }

    /** High and medium matches that are negated or quoted in a discussion count as mentions (× 0.35). */
    private static boolean mention(String text, int[] sentences, int start, int end) {
        int sentence = sentenceOf(sentences, start);
        int sentenceStart = sentences[2 * sentence];
        int sentenceEnd = sentences[2 * sentence + 1];
        String before = text.substring(sentenceStart, start);
        String[] words = before.trim().split("\\s+");
        for (int i = Math.max(0, words.length - 3); i < words.length; i++) {
            if (NEGATION.matcher(words[i]).matches()) {
                return true;
            }
        }
        long quotesBefore = before.chars().filter(c -> c == '"').count();
        boolean quoted = quotesBefore % 2 == 1
                && text.substring(end, Math.max(end, sentenceEnd)).indexOf('"') >= 0;
        return quoted
                && DISCUSSION_CUE
                        .matcher(text)
                        .region(sentenceStart, sentenceEnd)
                        .find();
    }

    /** Base64 payloads that decode to printable text, and text announced as ROT13, are scanned again. */
    private static void decodedPayloads(Normalized normalized, List<Hit> hits) {
        Matcher m = BASE64.matcher(normalized.cased());
        int decoded = 0;
        boolean base64 = RegexPrefilters.hasBase64Run(normalized.cased(), MIN_BASE64);
        while (base64 && m.find() && decoded < MAX_DECODED_PAYLOADS) {
            String token = m.group();
            if (token.chars().noneMatch(Character::isDigit) && token.chars().noneMatch(c -> c == '+' || c == '/')) {
                continue;
            }
            String plain = decodeBase64(token);
            if (plain != null) {
                decoded++;
                payloadHits(plain, m.start(), hits);
            }
        }
        Matcher spaced = SPACED.matcher(normalized.text());
        boolean spelledOut = RegexPrefilters.hasSpelledOutRun(normalized.text(), MIN_SPACED_PAIRS);
        while (spelledOut && spaced.find() && decoded < MAX_DECODED_PAYLOADS) {
            decoded++;
            String joined = spaced.group().replace(" ", "");
            if (SPACED_COMMAND.matcher(joined).find()) {
                hits.add(new Hit(
                        InjectionCategory.OBFUSCATION_MARKER,
                        spaced.start(),
                        InjectionCategory.OBFUSCATION_MARKER.severity().weight()));
            }
            payloadHits(spaced.group(), spaced.start(), hits);
        }
        Matcher rot = ROT13.matcher(normalized.text());
        boolean rotAnnounced = normalized.text().contains("rot");
        while (rotAnnounced && rot.find() && decoded < MAX_DECODED_PAYLOADS) {
            decoded++;
            String following = normalized
                    .text()
                    .substring(rot.end(), Math.min(normalized.text().length(), rot.end() + MAX_WINDOW));
            payloadHits(rot13(following), rot.start(), hits);
        }
    }

    private static void shouted(Normalized normalized, List<Hit> hits) {
        if (!RegexPrefilters.hasShoutedRun(normalized.cased())) {
            return;
        }
        Matcher m = SHOUTED.matcher(normalized.cased());
        int found = 0;
        while (m.find() && found < MAX_DECODED_PAYLOADS) {
            String run = normalized
                    .text()
                    .substring(m.start(), Math.min(m.end(), normalized.text().length()));
            if (SHOUTED_COMMAND.matcher(run).find()) {
                found++;
                hits.add(new Hit(
                        InjectionCategory.SHOUTED_INSTRUCTION,
                        m.start(),
                        InjectionCategory.SHOUTED_INSTRUCTION.severity().weight()));
            }
        }
    }

    private static void payloadHits(String plain, int position, List<Hit> hits) {
        String text = InjectionNormalizer.normalize(plain).text();
        for (InjectionCategory category : PAYLOAD_CATEGORIES) {
            if (PATTERNS.full(category).matcher(text).find()) {
                hits.add(new Hit(category, position, category.severity().weight()));
                hits.add(new Hit(
                        InjectionCategory.OBFUSCATION_MARKER,
                        position,
                        InjectionCategory.OBFUSCATION_MARKER.severity().weight()));
            }
        }
    }

    private static String decodeBase64(String token) {
        try {
            byte[] bytes = Base64.getDecoder().decode(token.length() % 4 == 0 ? token : token.replace("=", ""));
            String plain = new String(bytes, StandardCharsets.UTF_8);
            long printable = plain.chars()
                    .filter(c -> c >= 0x20 && c < 0x7F || c == '\n')
                    .count();
            return printable >= 0.9 * plain.length() ? plain : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static String rot13(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 'a' && c <= 'z') {
                out.append((char) ('a' + (c - 'a' + 13) % 26));
            } else if (c >= 'A' && c <= 'Z') {
                out.append((char) ('A' + (c - 'A' + 13) % 26));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Sentence ranges as {@code [start0, end0, start1, end1, …]}: a sentence ends after {@code . ! ?} followed by
     * whitespace, or at a line break; a sentence longer than the window is cut into overlapping pieces.
     */
    static int[] sentences(String text) {
        int[] ranges = new int[32];
        int n = 0;
        int start = 0;
        int length = text.length();
        for (int i = 0; i <= length; i++) {
            boolean boundary = i == length
                    || text.charAt(i) == '\n'
                    || ((text.charAt(i) == '.' || text.charAt(i) == '!' || text.charAt(i) == '?')
                            && (i + 1 == length || text.charAt(i + 1) == ' ' || text.charAt(i + 1) == '\n'));
            if (!boundary) {
                continue;
            }
            int end = i == length || text.charAt(i) == '\n' ? i : i + 1;
            for (int pieceStart = start; pieceStart < end || (pieceStart == start && n == 0 && i == length); ) {
                int pieceEnd = Math.min(end, pieceStart + MAX_WINDOW);
                if (n + 2 > ranges.length) {
                    ranges = Arrays.copyOf(ranges, ranges.length * 2);
                }
                ranges[n++] = pieceStart;
                ranges[n++] = pieceEnd;
                if (pieceEnd == end) {
                    break;
                }
                pieceStart = pieceEnd - MAX_WINDOW / 6;
            }
            start = end;
        }
        return Arrays.copyOf(ranges, n);
    }

    private static int sentenceOf(int[] sentences, int position) {
        int low = 0;
        int high = sentences.length / 2 - 1;
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            if (sentences[2 * mid] <= position) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return low;
    }

    private static int firstHitAtOrAfter(List<Hit> hits, int position) {
        int low = 0;
        int high = hits.size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (hits.get(mid).position() < position) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /** How many of {@code sorted[0, size)} lie in {@code [start, end)}. */
    private static int countInRange(int[] sorted, int size, int start, int end) {
        return size == 0 ? 0 : lowerBound(sorted, size, end) - lowerBound(sorted, size, start);
    }

    /** Index of the first of {@code sorted[0, size)} that is at least {@code value} ({@code size} if none). */
    private static int lowerBound(int[] sorted, int size, int value) {
        int low = 0;
        int high = size;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (sorted[mid] < value) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /** A category's alternative: its expression and the anchors one of which each match contains. */
    private static Alternative alt(String regex, String... anchors) {
        return new Alternative(regex, List.of(anchors));
    }

    private record Hit(InjectionCategory category, int position, double weight) {}
}
