#include "compose/interpolate.h"

#include <cstdio>
#include <utility>

namespace baton::compose {
namespace {

// Defaults may hold further references (${A:-${B:-c}}); each level recurses.
constexpr int kMaxNesting = 100;

constexpr size_t kNone = std::string_view::npos;

bool IsNameStart(char c) {
  return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9'); }

// Quotes `text` for a message the way Go's %q does for the ASCII range.
std::string Quote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (u < 0x20 || u == 0x7f) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", u);
      out += hex;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// Compose matches a reference with one regular expression, then cuts it at
// the brace that closes the first "{". This is that cut, quirk included: the
// character after each "{" is skipped, so "${A:-{}}" is never cut.
size_t FirstClosingBrace(std::string_view s) {
  int open = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '}' && --open == 0) return i;
    if (s[i] == '{') {
      ++open;
      ++i;
    }
  }
  return kNone;
}

// How a ${NAME<op>arg} reference treats a missing or empty variable.
struct Operator {
  char kind = 0;       // '-' default, '+' alternative, '?' required; 0: none
  bool colon = false;  // ":-", ":+", ":?": an empty value counts as missing
  size_t length = 0;
};

Operator OperatorAt(std::string_view text, size_t i) {
  auto is_op = [](char c) { return c == '-' || c == '+' || c == '?'; };
  if (i + 1 < text.size() && text[i] == ':' && is_op(text[i + 1])) return {text[i + 1], true, 2};
  if (i < text.size() && is_op(text[i])) return {text[i], false, 1};
  return {};
}

class Substituter {
 public:
  Substituter(const Lookup& lookup, std::string_view whole) : lookup_(lookup), whole_(whole) {}

  Result<std::string> Run(std::string_view text, int depth) {
    if (depth > kMaxNesting) {
      return Error::Invalid("", "interpolation nested more than " +
                                    std::to_string(kMaxNesting) + " levels deep");
    }
    LineCache lines;
    std::string out;
    size_t i = 0;
    while (true) {
      size_t p = text.find('$', i);
      if (p == kNone) break;
      out.append(text.substr(i, p - i));
      char next = p + 1 < text.size() ? text[p + 1] : '\0';
      if (next == '$') {
        out += '$';
        i = p + 2;
      } else if (IsNameStart(next)) {
        size_t end = p + 1;
        while (end < text.size() && IsNameChar(text[end])) ++end;
        out += lookup_(text.substr(p + 1, end - p - 1)).value_or("");
        i = end;
      } else if (next == '{') {
        size_t end = MatchBraced(text, p, lines);
        if (end == kNone) return InvalidFormat();
        size_t used = 0;
        auto value = ExpandBraced(text.substr(p, end - p), depth, used);
        if (!value.ok()) return value;
        out += *value;
        i = p + used;
      } else {
        out += '$';  // a lone "$" stays as written
        i = p + 1;
      }
    }
    out.append(text.substr(i));
    return out;
  }

 private:
  // The last "}" of the line being scanned: compose's pattern ends a
  // reference with an operator at the last "}" of its line.
  struct LineCache {
    size_t start = 1;
    size_t end = 0;  // start > end: nothing cached
    size_t last_brace = kNone;
  };

  static size_t LastBraceOfLine(std::string_view text, size_t from, LineCache& cache) {
    if (from < cache.start || from > cache.end) {
      size_t newline = text.rfind('\n', from == 0 ? 0 : from - 1);
      cache.start = (newline == kNone || newline >= from) ? 0 : newline + 1;
      cache.end = text.find('\n', from);
      if (cache.end == kNone) cache.end = text.size();
      size_t brace = text.substr(0, cache.end).rfind('}');
      cache.last_brace = (brace == kNone || brace < cache.start) ? kNone : brace;
    }
    return cache.last_brace;
  }

  // End (one past) of the reference "${..." starting at `p`, as compose's
  // pattern matches it; kNone when it is malformed.
  static size_t MatchBraced(std::string_view text, size_t p, LineCache& lines) {
    size_t name = p + 2;
    if (name >= text.size() || !IsNameStart(text[name])) return kNone;
    size_t end = name;
    while (end < text.size() && IsNameChar(text[end])) ++end;
    if (end < text.size() && text[end] == '}') return end + 1;
    Operator op = OperatorAt(text, end);
    if (op.kind == 0) return kNone;
    size_t brace = LastBraceOfLine(text, end + op.length, lines);
    if (brace == kNone || brace < end + op.length) return kNone;
    return brace + 1;
  }

  // Expands one matched reference. Sets `consumed` to how much of it was
  // used: compose expands the text after the first closing brace on its own,
  // which is the same as scanning on from there.
  Result<std::string> ExpandBraced(std::string_view match, int depth, size_t& consumed) {
    size_t closing = FirstClosingBrace(match);
    if (closing != kNone) match = match.substr(0, closing + 1);
    consumed = match.size();
    std::string_view body = match.substr(2, match.size() - 3);
    size_t name_end = 0;
    while (name_end < body.size() && IsNameChar(body[name_end])) ++name_end;
    std::string_view name = body.substr(0, name_end);
    std::optional<std::string> value = lookup_(name);
    Operator op = OperatorAt(body, name_end);
    if (op.kind == 0) return value.value_or("");

    std::string_view arg = body.substr(name_end + op.length);
    bool missing = !value || (op.colon && value->empty());
    if (op.kind == '-') return missing ? Run(arg, depth + 1) : *value;
    if (op.kind == '+') return missing ? value.value_or("") : Run(arg, depth + 1);
    if (!missing) return *value;
    auto message = Run(arg, depth + 1);
    if (!message.ok()) return message;
    std::string text = "required variable " + std::string(name) + " is missing a value";
    if (!message->empty()) text += ": " + *message;
    return Error::Invalid("", text);
  }

  Error InvalidFormat() const {
    return Error::Invalid("", "invalid interpolation format for " + Quote(whole_) +
                                  ": you may need to escape any $ with another $");
  }

  const Lookup& lookup_;
  std::string_view whole_;
};

}  // namespace

Result<std::string> InterpolateString(std::string_view text, const Lookup& lookup) {
  if (text.find('$') == kNone) return std::string(text);
  return Substituter(lookup, text).Run(text, 0);
}

Status Interpolate(Node& root, const Lookup& lookup, const ModelPath& at) {
  switch (root.kind()) {
    case Node::Kind::kNull:
      return Status::Ok();
    case Node::Kind::kScalar: {
      if (root.scalar().find('$') == kNone) return Status::Ok();
      auto text = InterpolateString(root.scalar(), lookup);
      if (!text.ok()) return Error::Invalid(Where(root, at), text.error().message);
      root.set_scalar(std::move(*text));  // quoting unchanged: `replicas: ${N}` stays a number
      return Status::Ok();
    }
    case Node::Kind::kSequence:
      for (size_t i = 0; i < root.items().size(); ++i) {
        if (auto s = Interpolate(root.items()[i], lookup, at.Index(i)); !s.ok()) return s;
      }
      return Status::Ok();
    case Node::Kind::kMapping:
      for (MapEntry& e : root.entries()) {
        if (auto s = Interpolate(e.value, lookup, at.Key(e.key)); !s.ok()) return s;
      }
      return Status::Ok();
  }
  return Status::Ok();
}

}  // namespace baton::compose
