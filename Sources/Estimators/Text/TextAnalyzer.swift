import Pickle

/// What a vectorizer's `build_analyzer()` makes of a document: preprocessing (lowercase),
/// then word tokens with stop words removed and word n-grams, or character n-grams. Terms
/// are handed out as UTF-8 bytes, so they compare code point by code point as Python's
/// strings do.
struct TextAnalyzer: Sendable {
    enum Kind: Sendable {
        /// `analyzer='word'`: tokens by `token_pattern`, stop words removed, then n-grams.
        case word(TokenPattern, stopWords: Set<[UInt8]>)
        /// `analyzer='char'`: n-grams of the text with runs of white space made one space.
        case characters
        /// `analyzer='char_wb'`: n-grams inside each word padded with a space either side.
        case wordBoundedCharacters
    }

    let kind: Kind
    let lowercase: Bool
    /// `strip_accents`, applied after lowercasing as scikit-learn's preprocessor does.
    let accents: AccentStripping?
    let minimumLength: Int
    let maximumLength: Int

    /// Reads and checks the analyzer's parameters; whatever needs a Python function or
    /// a step Augur cannot mirror exactly is refused, naming the parameter.
    init(_ object: FittedObject) throws(EstimatorError) {
        for parameter in ["analyzer", "preprocessor", "tokenizer", "strip_accents"] {
            if case .global(let module, let name)? = object.optional(parameter) {
                throw object.unsupported(
                    parameter,
                    "a Python function (\(module).\(name)) cannot run without Python; only "
                        + "the built-in analyzers are served"
                )
            }
            if case .object(let callable)? = object.optional(parameter) {
                throw object.unsupported(
                    parameter,
                    "a Python callable (\(callable.qualifiedName ?? "computed")) cannot run "
                        + "without Python; only the built-in analyzers are served"
                )
            }
        }
        for parameter in ["preprocessor", "tokenizer"] where object.optional(parameter) != nil {
            throw object.unsupported(parameter, "only None (the built-in one) is served")
        }
        switch object.optional("strip_accents") {
        case nil: accents = nil
        case .string("ascii")?: accents = .ascii
        case .string("unicode")?: accents = .unicode
        case let other?:
            throw object.unsupported(
                "strip_accents",
                "\(Self.describe(other)) is not one of 'ascii', 'unicode', None"
            )
        }
        if let input = object.string("input"), input != "content" {
            throw object.unsupported("input", "'\(input)' reads files; only 'content' is served")
        }
        lowercase = object.boolean("lowercase", default: true)
        (minimumLength, maximumLength) = try Self.ngramRange(object)
        switch object.optional("analyzer") {
        case .string("word")?, nil:
            kind = .word(try TokenPattern(object), stopWords: try Self.stopWords(object))
        case .string("char")?: kind = .characters
        case .string("char_wb")?: kind = .wordBoundedCharacters
        case let other?:
            throw object.unsupported(
                "analyzer",
                "\(Self.describe(other)) is not one of 'word', 'char', 'char_wb'"
            )
        }
    }

    private static func describe(_ value: PickleValue) -> String {
        if case .string(let text) = value { "'\(text)'" } else { value.kindName }
    }

    private static func ngramRange(_ object: FittedObject) throws(EstimatorError) -> (Int, Int) {
        guard case .tuple(let pair) = try object.value("ngram_range"), pair.count == 2,
            case .int(let low) = pair[0], case .int(let high) = pair[1],
            low >= 1, low <= high, high <= 64
        else {
            throw object.error("ngram_range", "expected (min_n, max_n) with 1 <= min_n <= max_n")
        }
        return (Int(low), Int(high))
    }

    /// `get_stop_words()`: None, 'english' (the built-in list) or the fitted collection.
    private static func stopWords(_ object: FittedObject) throws(EstimatorError) -> Set<[UInt8]> {
        switch object.optional("stop_words") {
        case nil: return []
        case .string("english")?: return Set(EnglishStopWords.words.map { Array($0.utf8) })
        case .list(let items)?, .set(let items)?:
            var words: Set<[UInt8]> = []
            for item in items.items {
                guard case .string(let word) = item else {
                    throw object.error("stop_words", "expected strings, found \(item.kindName)")
                }
                words.insert(Array(word.utf8))
            }
            return words
        case .tuple(let items)?:
            var words: Set<[UInt8]> = []
            for item in items {
                guard case .string(let word) = item else {
                    throw object.error("stop_words", "expected strings, found \(item.kindName)")
                }
                words.insert(Array(word.utf8))
            }
            return words
        case let other?:
            throw object.unsupported(
                "stop_words",
                "\(describe(other)) is not served; expected None, 'english' or a list of words"
            )
        }
    }

    /// Calls `body` with every term of `document`, in scikit-learn's order.
    func forEachTerm(_ document: String, _ body: ([UInt8]) -> Void) {
        var text = Array(document.unicodeScalars)
        if lowercase { text = PythonText.lowercased(text) }
        if let accents { text = accents.apply(text) }
        switch kind {
        case .word(let pattern, let stopWords):
            var tokens = pattern.tokens(text).map { PythonText.utf8(text[$0]) }
            if !stopWords.isEmpty { tokens.removeAll(where: stopWords.contains) }
            wordNgrams(tokens, body)
        case .characters:
            let normalised = Self.collapsingSpaceRuns(text)
            characterNgrams(normalised[...], body)
        case .wordBoundedCharacters:
            wordBoundedNgrams(Self.collapsingSpaceRuns(text), body)
        }
    }

    /// `_word_ngrams`: every run of `n` consecutive tokens joined by one space.
    private func wordNgrams(_ tokens: [[UInt8]], _ body: ([UInt8]) -> Void) {
        guard minimumLength <= tokens.count else { return }
        for length in minimumLength...min(maximumLength, tokens.count) {
            for start in 0...(tokens.count - length) {
                if length == 1 {
                    body(tokens[start])
                    continue
                }
                var joined = tokens[start]
                for token in tokens[(start + 1)..<(start + length)] {
                    joined.append(0x20)
                    joined.append(contentsOf: token)
                }
                body(joined)
            }
        }
    }

    /// `_char_ngrams`: every slice of `n` code points.
    private func characterNgrams(
        _ text: ArraySlice<Unicode.Scalar>,
        _ body: ([UInt8]) -> Void
    ) {
        guard minimumLength <= text.count else { return }
        for length in minimumLength...min(maximumLength, text.count) {
            for start in text.startIndex...(text.endIndex - length) {
                body(PythonText.utf8(text[start..<(start + length)]))
            }
        }
    }

    /// `_char_wb_ngrams`: for each word of `str.split()`, padded with a space either side,
    /// its slices of each length; a word shorter than a length gives itself once and ends
    /// that word's lengths.
    private func wordBoundedNgrams(_ text: [Unicode.Scalar], _ body: ([UInt8]) -> Void) {
        var start = 0
        while start < text.count {
            guard !PythonText.isSpace(text[start]) else {
                start += 1
                continue
            }
            var end = start
            while end < text.count, !PythonText.isSpace(text[end]) { end += 1 }
            let word = [" "] + text[start..<end] + [" "]
            start = end
            for length in minimumLength...maximumLength {
                var offset = 0
                body(PythonText.utf8(word[0..<min(length, word.count)]))
                while offset + length < word.count {
                    offset += 1
                    body(PythonText.utf8(word[offset..<min(offset + length, word.count)]))
                }
                if offset == 0 { break }
            }
        }
    }

    /// `re.sub(r"\s\s+", " ", text)`: a run of two or more white-space code points becomes
    /// one space; a single one stays as it is.
    static func collapsingSpaceRuns(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(text.count)
        var index = 0
        while index < text.count {
            var end = index
            while end < text.count, PythonText.isSpace(text[end]) { end += 1 }
            switch end - index {
            case 0:
                result.append(text[index])
                index += 1
            case 1:
                result.append(text[index])
                index = end
            default:
                result.append(" ")
                index = end
            }
        }
        return result
    }
}

/// The token patterns served: a run of word characters (`\w`) or of non-space characters
/// (`\S`) of at least some length, as `re.findall` finds them. For such a class a match
/// always spans a whole run, so `\b` at either end changes nothing for `\w` and the matches
/// are the runs long enough. Any other regular expression is refused at load.
struct TokenPattern: Sendable {
    enum CharacterClass: Sendable {
        case word
        case nonSpace
    }

    let characterClass: CharacterClass
    let minimumLength: Int

    init(_ object: FittedObject) throws(EstimatorError) {
        guard case .string(let pattern)? = object.optional("token_pattern") else {
            throw object.unsupported("token_pattern", "expected a regular expression string")
        }
        guard let parsed = Self.parse(pattern) else {
            throw object.unsupported(
                "token_pattern",
                "'\(pattern)' is not served; served patterns are runs of \\w or \\S of a "
                    + "minimum length, such as the default (?u)\\b\\w\\w+\\b, \\b\\w+\\b or \\S+"
            )
        }
        (characterClass, minimumLength) = parsed
    }

    /// Reads `(?u)`, an optional `\b`, one or more `\w` (or `\S`) with `+` or `{n,}` on the
    /// last, and an optional `\b`.
    static func parse(_ pattern: String) -> (CharacterClass, Int)? {
        var rest = Substring(pattern)
        if rest.hasPrefix("(?u)") { rest = rest.dropFirst(4) }
        let leadingBoundary = rest.hasPrefix("\\b")
        if leadingBoundary { rest = rest.dropFirst(2) }
        let trailingBoundary = rest.hasSuffix("\\b")
        if trailingBoundary { rest = rest.dropLast(2) }
        var characterClass: CharacterClass?
        var fixed = 0
        while rest.hasPrefix("\\w") || rest.hasPrefix("\\S") {
            let atom: CharacterClass = rest.hasPrefix("\\w") ? .word : .nonSpace
            guard characterClass == nil || characterClass == atom else { return nil }
            characterClass = atom
            fixed += 1
            rest = rest.dropFirst(2)
        }
        guard let characterClass, fixed > 0 else { return nil }
        // `\b` next to a non-space run is a different rule: not served.
        if characterClass == .nonSpace, leadingBoundary || trailingBoundary { return nil }
        if rest == "+" { return (characterClass, fixed) }
        guard rest.hasPrefix("{"), rest.hasSuffix(",}"),
            let count = Int(rest.dropFirst().dropLast(2)), fixed - 1 + count >= 1
        else { return nil }
        return (characterClass, fixed - 1 + count)
    }

    /// The ranges of `text` that `re.findall` returns, in order.
    func tokens(_ text: [Unicode.Scalar]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        while start < text.count {
            guard belongs(text[start]) else {
                start += 1
                continue
            }
            var end = start + 1
            while end < text.count, belongs(text[end]) { end += 1 }
            if end - start >= minimumLength { ranges.append(start..<end) }
            start = end
        }
        return ranges
    }

    private func belongs(_ scalar: Unicode.Scalar) -> Bool {
        switch characterClass {
        case .word: PythonText.isWordCharacter(scalar)
        case .nonSpace: !PythonText.isSpace(scalar)
        }
    }
}
