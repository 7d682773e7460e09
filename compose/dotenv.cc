#include "compose/dotenv.h"

#include <cstdio>
#include <optional>
#include <unordered_map>
#include <utility>

namespace baton::compose {
namespace {

constexpr size_t kNone = std::string_view::npos;

struct Rune {
  char32_t code = 0;
  size_t size = 1;
};

// Decodes the UTF-8 character at `i`; a broken sequence reads as U+FFFD.
Rune RuneAt(std::string_view s, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char b = byte(i);
  if (b < 0x80) return {b, 1};
  size_t size = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 0;
  if (size == 0 || i + size > s.size()) return {0xFFFD, 1};
  char32_t code = b & (0x7F >> size);
  for (size_t k = 1; k < size; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return {0xFFFD, 1};
    code = (code << 6) | (byte(i + k) & 0x3F);
  }
  return {code, size};
}

// Blanks inside a line, as compose's parser sees them (no line break).
bool IsLineSpace(char32_t r) {
  return r == '\t' || r == '\v' || r == '\f' || r == '\r' || r == ' ' || r == 0x85 || r == 0xA0;
}

// Go's unicode.IsSpace.
bool IsSpace(char32_t r) {
  return IsLineSpace(r) || r == '\n' || r == 0x1680 || (r >= 0x2000 && r <= 0x200A) ||
         r == 0x2028 || r == 0x2029 || r == 0x202F || r == 0x205F || r == 0x3000;
}

// Compose allows letters and digits of any script, "_", ".", "-", "[" and
// "]". Lacking Unicode tables, we take every other non-ASCII character, apart
// from spaces and broken UTF-8, as a letter.
bool IsKeyChar(char32_t r) {
  if (r >= 0x80) return r != 0xFFFD && !IsSpace(r);
  return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') || r == '_' ||
         r == '.' || r == '-' || r == '[' || r == ']';
}

std::string_view TrimRightSpace(std::string_view s) {
  while (!s.empty()) {
    size_t start = s.size() - 1;
    while (start > 0 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
    if (!IsSpace(RuneAt(s, start).code)) break;
    s = s.substr(0, start);
  }
  return s;
}

std::string Quote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
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

void AppendUtf8(std::string& out, char32_t code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else {  // octal escapes stop at 0377
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

// The octal escape "\0ddd" starting at `i` (which holds the "0"): compose
// takes up to three more digits and decodes them only when there are exactly
// three octal digits worth at most 0377. Returns how many digits it took.
size_t OctalEscape(std::string_view s, size_t i, std::string& out) {
  size_t digits = 0;
  while (digits < 3 && i + 1 + digits < s.size() && s[i + 1 + digits] >= '0' &&
         s[i + 1 + digits] <= '9') {
    ++digits;
  }
  std::string_view number = s.substr(i + 1, digits);
  bool octal = digits == 3 && number.find_first_of("89") == kNone;
  int value = octal ? (number[0] - '0') * 64 + (number[1] - '0') * 8 + (number[2] - '0') : 0;
  if (!octal || value > 0377) {
    out += '\\';
    out.append(s.substr(i, digits + 1));
  } else {
    AppendUtf8(out, static_cast<char32_t>(value));
  }
  return digits;
}

// Shell escapes in double-quoted values: \a \b \f \n \r \t \v \\ \" \$ and
// \0ddd. "\$" becomes "$$" so that interpolation leaves a literal "$".
// Anything else, "\c" and "\x41" included, stays as written.
std::string ExpandEscapes(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 >= s.size()) {
      out += s[i];
      continue;
    }
    char c = s[i + 1];
    constexpr std::string_view kFrom = "abfnrtv\\\"";
    constexpr std::string_view kTo = "\a\b\f\n\r\t\v\\\"";
    if (size_t k = kFrom.find(c); k != kNone) {
      out += kTo[k];
      ++i;
    } else if (c == '$') {
      out += "$$";
      ++i;
    } else if (c == '0') {
      i += 1 + OctalEscape(s, i + 1, out);
    } else {
      out += '\\';
    }
  }
  return out;
}

bool StartsWithExport(std::string_view s) {
  constexpr std::string_view kWord = "export";
  if (s.substr(0, kWord.size()) != kWord || s.size() <= kWord.size()) return false;
  char c = s[kWord.size()];
  return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

struct KeyRead {
  std::string key;
  size_t end = 0;          // just after the "=", ":" or line break
  bool inherited = false;  // `KEY` alone on its line
};

class DotEnvParser {
 public:
  DotEnvParser(std::string_view text, const std::string& file, const Lookup& lookup)
      : text_(text), file_(file), lookup_(lookup) {}

  Result<EnvEntries> Parse() {
    size_t pos = 0;
    while ((pos = NextStatement(pos)) != kNone) {
      auto key = ReadKey(pos);
      if (!key.ok()) return std::move(key).error();
      pos = key->end;
      if (key->inherited) {
        std::optional<std::string> value = key->key.empty() ? std::nullopt : lookup_(key->key);
        if (value) Set(key->key, std::move(*value));
        continue;
      }
      auto value = ReadValue(pos);
      if (!value.ok()) return std::move(value).error();
      Set(key->key, std::move(*value));
    }
    return std::move(entries_);
  }

 private:
  // Skips blank lines and comments; kNone at the end of the text.
  size_t NextStatement(size_t pos) const {
    while (pos < text_.size()) {
      Rune r = RuneAt(text_, pos);
      if (IsSpace(r.code)) {
        pos += r.size;
      } else if (text_[pos] == '#') {
        pos = text_.find('\n', pos);
        if (pos == kNone) return kNone;
      } else {
        return pos;
      }
    }
    return kNone;
  }

  size_t SkipLineSpace(size_t pos) const {
    while (pos < text_.size()) {
      Rune r = RuneAt(text_, pos);
      if (!IsLineSpace(r.code)) break;
      pos += r.size;
    }
    return pos;
  }

  Result<KeyRead> ReadKey(size_t pos) const {
    if (StartsWithExport(text_.substr(pos))) {
      pos = SkipLineSpace(pos + 6);
    }
    size_t i = pos;
    while (i < text_.size()) {
      Rune r = RuneAt(text_, i);
      if (r.code == '=' || r.code == ':' || r.code == '\n') break;
      if (!IsLineSpace(r.code) && !IsKeyChar(r.code)) {
        size_t eol = text_.find('\n', pos);
        return Fail(pos, "unexpected character " + Quote(text_.substr(i, r.size)) +
                             " in variable name " + Quote(text_.substr(pos, eol - pos)));
      }
      i += r.size;
    }
    KeyRead read;
    read.key = std::string(TrimRightSpace(text_.substr(pos, i - pos)));
    if (read.key.find(' ') != std::string::npos) return Fail(pos, "key cannot contain a space");
    // A key alone on the last line, without a line break, is inherited too.
    read.inherited = i >= text_.size() || text_[i] == '\n';
    read.end = i < text_.size() ? i + 1 : i;
    return read;
  }

  // Reads the value starting at `pos` (after the "=") and moves `pos` past it.
  Result<std::string> ReadValue(size_t& pos) {
    pos = SkipLineSpace(pos);
    if (pos < text_.size() && (text_[pos] == '"' || text_[pos] == '\'')) return ReadQuoted(pos);
    size_t start = pos;
    size_t eol = text_.find('\n', pos);
    if (eol == kNone) eol = text_.size();
    std::string_view value = text_.substr(pos, eol - pos);
    value = value.substr(0, value.find(" #"));  // only " #" starts a comment
    pos = eol < text_.size() ? eol + 1 : eol;
    return Expand(TrimRightSpace(value), start);
  }

  // Single quotes keep their text as is; double quotes take shell escapes
  // and references. In both, a backslash before the quote escapes it.
  Result<std::string> ReadQuoted(size_t& pos) {
    size_t start = pos;
    char quote = text_[pos];
    std::string chars;
    bool escaped = false;
    for (size_t i = pos + 1; i < text_.size(); ++i) {
      char c = text_[i];
      if (c == '\\' && !escaped) {
        escaped = true;
        continue;
      }
      if (escaped && c != quote) chars += '\\';
      if (c != quote || escaped) {
        escaped = false;
        chars += c;
        continue;
      }
      pos = i + 1;
      if (quote == '\'') return chars;
      return Expand(ExpandEscapes(chars), start);
    }
    size_t eol = text_.find('\n', start);
    std::string_view line = text_.substr(start, eol - start);
    return Fail(start, "unterminated quoted value " + std::string(line));
  }

  // Later lines refer to earlier ones; `lookup` (the environment) comes
  // first, as in compose.
  Result<std::string> Expand(std::string_view value, size_t pos) const {
    Lookup lookup = [this](std::string_view name) -> std::optional<std::string> {
      if (auto v = lookup_(name)) return v;
      auto it = index_.find(std::string(name));
      if (it == index_.end()) return std::nullopt;
      return entries_[it->second].second;
    };
    auto expanded = InterpolateString(value, lookup);
    if (!expanded.ok()) return Fail(pos, expanded.error().message);
    return expanded;
  }

  void Set(const std::string& key, std::string value) {
    auto [it, inserted] = index_.emplace(key, entries_.size());
    if (inserted) {
      entries_.emplace_back(key, std::move(value));
    } else {
      entries_[it->second].second = std::move(value);
    }
  }

  Error Fail(size_t pos, std::string message) const {
    size_t line = 1;
    for (size_t i = 0; i < pos && i < text_.size(); ++i) line += text_[i] == '\n';
    return Error::Invalid(file_ + ":" + std::to_string(line), std::move(message));
  }

  std::string_view text_;
  const std::string& file_;
  const Lookup& lookup_;
  EnvEntries entries_;
  std::unordered_map<std::string, size_t> index_;
};

}  // namespace

Result<EnvEntries> ParseDotEnv(std::string_view text, const std::string& file,
                               const Lookup& lookup) {
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (text.substr(0, kBom.size()) == kBom) text.remove_prefix(kBom.size());
  return DotEnvParser(text, file, lookup).Parse();
}

}  // namespace baton::compose
