// A small block-style YAML writer for Node trees.
//
// We write our own rather than use YAML::Emitter because the quoting rule
// has to be ours: a string is quoted exactly when a YAML reader (yaml-cpp
// with our scalar typing, or compose's Go YAML library) would otherwise read
// it as a number, boolean, null or different text. yaml-cpp's emitter quotes
// by its own YAML 1.2 rules, so it leaves "0440", "yes" or "1_000" plain,
// and it cannot tell a typed node from a string node of ours.

#include <regex>

#include "compose/scalar.h"
#include "compose/serialize.h"

namespace baton::compose {

namespace {

enum class ScalarStyle { kPlain, kDoubleQuoted, kLiteral };

// Plain text that YAML 1.1 or 1.2 readers resolve to a non-string: the
// integer, float, sexagesimal, boolean and date forms. Go's YAML library
// quotes all of these; so do we, so both it and yaml-cpp read strings back.
bool ResolvesToNonString(const std::string& text) {
  static const std::regex kNonString(
      "[-+]?(0b[01_]+|0o?[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*)"         // integers
      "|[-+]?(\\.[0-9]+|[0-9][0-9_]*(\\.[0-9_]*)?)([eE][-+]?[0-9]+)?"  // floats
      "|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\\.[0-9_]*)?"                 // base 60
      "|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)"
      "|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE"
      "|on|On|ON|off|Off|OFF|~|null|Null|NULL"
      "|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?");  // timestamps
  if (IsNullText(text) || ParseBool(text) || ParseInt(text) || ParseDouble(text)) return true;
  return std::regex_match(text, kNonString);
}

// U+0085, U+2028 and U+2029 are line breaks to YAML 1.1 readers.
bool HasUnicodeBreak(const std::string& text) {
  return text.find("\xC2\x85") != std::string::npos ||
         text.find("\xE2\x80\xA8") != std::string::npos ||
         text.find("\xE2\x80\xA9") != std::string::npos;
}

bool HasControlChar(const std::string& text, bool allow_newline_and_tab) {
  for (unsigned char c : text) {
    if (allow_newline_and_tab && (c == '\n' || c == '\t')) continue;
    if (c < 0x20 || c == 0x7F) return true;
  }
  return HasUnicodeBreak(text);
}

// True if `text` cannot be written as a plain scalar in block context
// whatever its type: indicators at the start, ": " or " #" inside, spaces at
// either end, control characters.
bool BreaksPlainSyntax(const std::string& text) {
  if (text.empty()) return true;
  const char first = text.front();
  if (first == '-') {
    if (text.size() == 1 || text[1] == ' ' || text.rfind("---", 0) == 0) return true;
  } else if (std::string_view("?:,[]{}#&*!|>'\"%@`").find(first) != std::string_view::npos) {
    return true;
  }
  if (first == ' ' || first == '\t' || text.back() == ' ' || text.back() == '\t') return true;
  if (text.back() == ':' || text.rfind("...", 0) == 0) return true;
  for (std::string_view bad : {": ", ":\t", " #", "\t#"}) {
    if (text.find(bad) != std::string::npos) return true;
  }
  return HasControlChar(text, /*allow_newline_and_tab=*/false);
}

// A multi-line string reads back unchanged from a literal block when it has
// no control characters besides newlines and tabs and does not start with
// whitespace (which would need an indentation indicator).
bool FitsLiteralBlock(const std::string& text) {
  if (text.find('\n') == std::string::npos) return false;
  if (text.front() == ' ' || text.front() == '\t' || text.front() == '\n') return false;
  return !HasControlChar(text, /*allow_newline_and_tab=*/true);
}

ScalarStyle ChooseStyle(const std::string& text, bool typed, bool is_key) {
  if (!is_key && !typed && FitsLiteralBlock(text)) return ScalarStyle::kLiteral;
  if (BreaksPlainSyntax(text)) return ScalarStyle::kDoubleQuoted;
  if (!typed && ResolvesToNonString(text)) return ScalarStyle::kDoubleQuoted;
  return ScalarStyle::kPlain;
}

std::string DoubleQuoted(const std::string& text) {
  std::string out = "\"";
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = text[i];
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c < 0x20 || c == 0x7F) {
      static const char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    } else if (c == 0xC2 && i + 1 < text.size() && text[i + 1] == '\x85') {
      out += "\\N";
      ++i;
    } else if (c == 0xE2 && text.compare(i, 3, "\xE2\x80\xA8") == 0) {
      out += "\\L";
      i += 2;
    } else if (c == 0xE2 && text.compare(i, 3, "\xE2\x80\xA9") == 0) {
      out += "\\P";
      i += 2;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string Key(const std::string& key) {
  if (ChooseStyle(key, /*typed=*/false, /*is_key=*/true) == ScalarStyle::kPlain) return key;
  return DoubleQuoted(key);
}

class YamlWriter {
 public:
  std::string Document(const Node& root) {
    if (IsBlockCollection(root)) {
      Collection(root, 0, /*first_inline=*/false);
    } else {
      Inline(root, /*lead=*/"", /*child_indent=*/2);
    }
    return std::move(out_);
  }

 private:
  static bool IsBlockCollection(const Node& node) {
    return (node.IsMapping() && !node.entries().empty()) ||
           (node.IsSequence() && !node.items().empty());
  }

  void Indent(int columns) { out_.append(static_cast<size_t>(columns), ' '); }

  // A non-empty mapping or sequence whose entries start at column `indent`.
  // With `first_inline`, the first entry continues the current line ("- a: 1").
  void Collection(const Node& node, int indent, bool first_inline) {
    bool first = true;
    auto start_line = [&] {
      if (!(first && first_inline)) Indent(indent);
      first = false;
    };
    if (node.IsMapping()) {
      for (const MapEntry& entry : node.entries()) {
        start_line();
        out_ += Key(entry.key) + ":";
        Value(entry.value, indent + 2, /*after_dash=*/false);
      }
    } else {
      for (const Node& item : node.items()) {
        start_line();
        out_ += "-";
        Value(item, indent + 2, /*after_dash=*/true);
      }
    }
  }

  // The value after "key:" or "-"; nested content goes at `child_indent`.
  void Value(const Node& node, int child_indent, bool after_dash) {
    if (!IsBlockCollection(node)) {
      Inline(node, " ", child_indent);
    } else if (after_dash) {
      out_ += " ";
      Collection(node, child_indent, /*first_inline=*/true);
    } else {
      out_ += "\n";
      Collection(node, child_indent, /*first_inline=*/false);
    }
  }

  // A scalar, null, {} or [], then the end of the line. Literal blocks put
  // their lines at `child_indent`.
  void Inline(const Node& node, std::string_view lead, int child_indent) {
    out_ += lead;
    if (node.IsMapping()) {
      out_ += "{}\n";
    } else if (node.IsSequence()) {
      out_ += "[]\n";
    } else if (node.IsNull() || (!node.quoted() && node.scalar().empty())) {
      out_ += "null\n";
    } else {
      ScalarText(node.scalar(), !node.quoted(), child_indent);
    }
  }

  void ScalarText(const std::string& text, bool typed, int child_indent) {
    switch (ChooseStyle(text, typed, /*is_key=*/false)) {
      case ScalarStyle::kPlain: out_ += text + "\n"; return;
      case ScalarStyle::kDoubleQuoted: out_ += DoubleQuoted(text) + "\n"; return;
      case ScalarStyle::kLiteral: LiteralBlock(text, child_indent); return;
    }
  }

  void LiteralBlock(const std::string& text, int child_indent) {
    size_t trailing = 0;
    while (trailing < text.size() && text[text.size() - 1 - trailing] == '\n') ++trailing;
    // Chomping: "|-" strips the final newline, "|" keeps one, "|+" keeps all.
    out_ += trailing == 0 ? "|-\n" : trailing == 1 ? "|\n" : "|+\n";
    const std::string_view body(text.data(), text.size() - trailing);
    size_t start = 0;
    while (true) {
      const size_t end = body.find('\n', start);
      const std::string_view line = body.substr(start, end == std::string_view::npos
                                                           ? std::string_view::npos
                                                           : end - start);
      if (!line.empty()) Indent(child_indent);
      out_ += line;
      out_ += '\n';
      if (end == std::string_view::npos) break;
      start = end + 1;
    }
    for (size_t i = 1; i < trailing; ++i) out_ += '\n';
  }

  std::string out_;
};

}  // namespace

std::string ToYaml(const Node& node) { return YamlWriter().Document(node); }

}  // namespace baton::compose
