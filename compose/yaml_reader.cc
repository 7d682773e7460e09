#include "compose/yaml_reader.h"

#include <algorithm>

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <cctype>
#include <memory>
#include <new>
#include <optional>
#include <sstream>
#include <unordered_map>
#include <utility>
#include <vector>

#include "compose/yaml_merge_keys.h"

namespace baton::compose {
namespace {

// Aliases can build a tree far deeper and larger than the text ("billion
// laughs"). Every later stage walks the tree recursively and a Node costs
// about 150 bytes, so we stop at a depth no compose file needs and at about
// 150 MB of nodes. yaml-cpp itself refuses text nested deeper than 500.
constexpr size_t kMaxDepth = 1000;
constexpr size_t kMaxNodes = 1'000'000;

constexpr std::string_view kCoreTagPrefix = "tag:yaml.org,2002:";

std::string_view WithoutBom(std::string_view text) {
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  return text.substr(0, kBom.size()) == kBom ? text.substr(kBom.size()) : text;
}

bool IsNullText(std::string_view text) {
  return text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL";
}

// Where a scalar's value starts, given where its node starts (`pos`, from
// yaml-cpp's mark): after any tag and anchor properties, and any comment or
// line break after them. npos when the text does not match the mark (yaml-cpp
// converted UTF-16 input, for instance).
size_t ValueStart(std::string_view text, int pos) {
  if (pos < 0) return std::string_view::npos;
  size_t i = static_cast<size_t>(pos);
  while (i < text.size()) {
    char c = text[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      ++i;
    } else if (c == '#' && i > static_cast<size_t>(pos)) {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (c == '!' || c == '&') {
      while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    } else {
      return i;
    }
  }
  return std::string_view::npos;
}

// yaml-cpp reports an explicitly tagged scalar without saying whether it was
// quoted, so look at the text.
bool SourceIsQuoted(std::string_view text, int pos) {
  size_t start = ValueStart(text, pos);
  if (start == std::string_view::npos) return false;
  char c = text[start];
  return c == '"' || c == '\'' || c == '|' || c == '>';
}

// yaml-cpp 0.7 accepts a quoted scalar left open at the end of the stream
// when a line break follows the opening quote ("a: 'x\n"), and reads the rest
// of the file into it. Find the closing quote ourselves.
bool QuoteLeftOpen(std::string_view text, int pos) {
  size_t i = ValueStart(text, pos);
  if (i == std::string_view::npos || (text[i] != '"' && text[i] != '\'')) return false;
  char quote = text[i];
  for (++i; i < text.size(); ++i) {
    if (quote == '"' && text[i] == '\\') {
      ++i;
    } else if (text[i] == quote) {
      if (quote == '"' || i + 1 >= text.size() || text[i + 1] != '\'') return false;
      ++i;  // '' is an escaped single quote
    }
  }
  return true;
}

// yaml-cpp marks an empty value ("key:" and nothing) with the position of
// the next token, often on a later line. Whether a null was written out ("~",
// "null", or properties such as "!reset") tells the two apart.
bool NullWrittenAt(std::string_view text, int pos) {
  if (pos < 0 || static_cast<size_t>(pos) >= text.size()) return false;
  std::string_view rest = text.substr(static_cast<size_t>(pos));
  if (rest[0] == '~' || rest[0] == '!' || rest[0] == '&') return true;
  std::string_view word = rest.substr(0, 4);
  if (word != "null" && word != "Null" && word != "NULL") return false;
  constexpr std::string_view kAfterWord = " \t\r\n,]}#";
  return rest.size() == 4 || kAfterWord.find(rest[4]) != std::string_view::npos;
}

// "reset" and "override" are the only custom tags compose gives meaning to.
std::string CustomTag(const std::string& tag) {
  if (tag == "!reset") return "reset";
  if (tag == "!override") return "override";
  return "";
}

// Our messages start lower case and end without a period. yaml-cpp's mostly
// do already; an acronym at the start ("YAML directives ...") stays.
std::string Reword(std::string message) {
  while (!message.empty() && (message.back() == '.' || message.back() == ' ')) message.pop_back();
  if (message.size() >= 2 && std::isupper(static_cast<unsigned char>(message[0])) &&
      !std::isupper(static_cast<unsigned char>(message[1]))) {
    message[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(message[0])));
  }
  return message;
}

struct Measure {
  size_t nodes = 0;
  size_t height = 0;
};

Measure MeasureTree(const Node& node) {
  Measure m{1, 1};
  auto add = [&m](const Node& child) {
    Measure c = MeasureTree(child);
    m.nodes += c.nodes;
    if (c.height + 1 > m.height) m.height = c.height + 1;
  };
  for (const Node& item : node.items()) add(item);
  for (const MapEntry& e : node.entries()) add(e.value);
  return m;
}

// Builds one document's Node tree from yaml-cpp's parse events. The tree is
// built with an explicit stack, so only yaml-cpp's own parser recurses over
// the text. After the first error every event is ignored.
class TreeBuilder final : public YAML::EventHandler {
 public:
  // yaml-cpp counts positions in UTF-8 bytes after any byte order mark.
  TreeBuilder(std::shared_ptr<const std::string> file, std::string_view text)
      : file_(std::move(file)), text_(WithoutBom(text)) {}

  const std::optional<Error>& error() const { return error_; }
  // The document's root; a Null node when the document was empty.
  std::optional<Node>& root() { return root_; }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnAnchor(const YAML::Mark&, const std::string& name) override { anchor_name_ = name; }

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    Mark where = ToMark(mark);
    if (error_ || !Count(1, where)) return;
    NameAnchor(anchor);
    bool empty_value = !stack_.empty() && stack_.back().has_key && !NullWrittenAt(text_, mark.pos);
    if (empty_value) where = stack_.back().key_mark;
    Complete(Node::Null(where), anchor);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    if (error_ || !Count(1, ToMark(mark))) return;
    if (tag != "?" && QuoteLeftOpen(text_, mark.pos)) {
      return Fail(Error::Invalid(Where(ToMark(mark), PathHere()),
                                 "found unexpected end of stream while scanning a quoted scalar"));
    }
    NameAnchor(anchor);
    Complete(MakeScalar(mark, tag, value), anchor);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (!error_) ExpandAlias(mark, anchor);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    Open(Node::Sequence(ToMark(mark)), mark, tag, anchor);
  }
  void OnSequenceEnd() override { Close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    Open(Node::Mapping(ToMark(mark)), mark, tag, anchor);
  }
  void OnMapEnd() override { Close(); }

 private:
  // A sequence or mapping whose children are still being read.
  struct Frame {
    Node node;
    YAML::anchor_t anchor = YAML::NullAnchor;
    // Mappings: the key read and waiting for its value.
    bool has_key = false;
    bool key_is_merge = false;
    std::string key;
    Mark key_mark;
    std::unordered_map<std::string, int> key_lines;  // for duplicate keys
    std::optional<MergeKey> merge;
  };

  // What an anchor stands for, with its size, so that each alias can be
  // checked against the limits before it is copied.
  struct Anchored {
    Node node;
    Measure measure;
  };

  Mark ToMark(const YAML::Mark& m) const {
    if (m.is_null()) return Mark{file_, 0, 0};
    return Mark{file_, m.line + 1, m.column + 1};
  }

  void Fail(Error error) {
    if (!error_) error_ = std::move(error);
  }

  bool Count(size_t nodes, const Mark& mark) {
    if (node_count_ + nodes <= kMaxNodes) {
      node_count_ += nodes;
      return true;
    }
    Fail(Error::Invalid(Where(mark, PathHere()),
                        "aliases expand to more than " + std::to_string(kMaxNodes) + " nodes"));
    return false;
  }

  void NameAnchor(YAML::anchor_t anchor) {
    if (anchor != YAML::NullAnchor) anchor_names_[anchor] = anchor_name_;
  }

  Node MakeScalar(const YAML::Mark& mark, const std::string& tag, const std::string& value) {
    Mark m = ToMark(mark);
    if (tag == "?") return Node::Scalar(value, false, m);  // plain
    if (tag == "!") return Node::Scalar(value, true, m);   // quoted or block
    std::string_view t = tag;
    if (t.substr(0, kCoreTagPrefix.size()) == kCoreTagPrefix) {
      std::string_view type = t.substr(kCoreTagPrefix.size());
      if (type == "null") return Node::Null(m);
      // !!str makes a string of any text; !!int, !!bool... keep it typed by its text.
      return Node::Scalar(value, type == "str", m);
    }
    bool quoted = SourceIsQuoted(text_, mark.pos);
    Node node = (!quoted && IsNullText(value)) ? Node::Null(m) : Node::Scalar(value, quoted, m);
    node.set_tag(CustomTag(tag));
    return node;
  }

  void Open(Node node, const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor) {
    if (error_ || !Count(1, ToMark(mark))) return;
    if (stack_.size() + 1 > kMaxDepth) {
      Fail(Error::Invalid(Where(ToMark(mark), PathHere()), "document nested too deeply"));
      return;
    }
    NameAnchor(anchor);
    node.set_tag(CustomTag(tag));
    Frame frame;
    frame.node = std::move(node);
    frame.anchor = anchor;
    stack_.push_back(std::move(frame));
  }

  void Close() {
    if (error_) return;
    Frame frame = std::move(stack_.back());
    stack_.pop_back();
    Node node = std::move(frame.node);
    if (frame.merge) {
      auto merged = ResolveMergeKey(std::move(node), std::move(*frame.merge), PathHere());
      if (!merged.ok()) return Fail(std::move(merged).error());
      node = std::move(*merged);
    }
    Complete(std::move(node), frame.anchor);
  }

  void Complete(Node node, YAML::anchor_t anchor) {
    if (anchor != YAML::NullAnchor) {
      Measure measure = MeasureTree(node);
      if (!Count(measure.nodes, node.mark())) return;
      anchors_[anchor] = Anchored{node, measure};
    }
    Place(std::move(node));
  }

  void ExpandAlias(const YAML::Mark& mark, YAML::anchor_t anchor) {
    Mark here = ToMark(mark);
    const std::string& name = anchor_names_[anchor];
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) {
      return Fail(Error::Invalid(Where(here, PathHere()),
                                 "anchor \"" + name + "\" value contains itself"));
    }
    const Anchored& target = it->second;
    if (stack_.size() + target.measure.height > kMaxDepth) {
      return Fail(Error::Invalid(Where(here, PathHere()),
                                 "alias *" + name + " nests deeper than " +
                                     std::to_string(kMaxDepth) + " levels"));
    }
    if (!Count(target.measure.nodes, here)) return;
    Node copy = target.node;
    copy.set_mark(here);
    Place(std::move(copy));
  }

  void Place(Node node) {
    if (stack_.empty()) {
      root_ = std::move(node);
      return;
    }
    Frame& top = stack_.back();
    if (top.node.IsSequence()) {
      top.node.Append(std::move(node));
    } else if (!top.has_key) {
      AcceptKey(std::move(node));
    } else {
      AcceptValue(std::move(node));
    }
  }

  void AcceptKey(Node key) {
    Frame& top = stack_.back();
    if (!key.IsScalar()) {
      return Fail(Error::Invalid(Where(key, PathHere()),
                                 "mapping key must be a string, found " +
                                     std::string(key.KindName())));
    }
    auto [seen, inserted] = top.key_lines.emplace(key.scalar(), key.mark().line);
    if (!inserted) {
      return Fail(Error::Invalid(Where(key, PathHere().Key(key.scalar())),
                                 "mapping key \"" + key.scalar() + "\" already defined at line " +
                                     std::to_string(seen->second)));
    }
    top.has_key = true;
    top.key_is_merge = !key.quoted() && key.scalar() == "<<";
    top.key = key.scalar();
    top.key_mark = key.mark();
  }

  void AcceptValue(Node value) {
    Frame& top = stack_.back();
    if (top.key_is_merge) {
      top.merge = MergeKey{top.node.entries().size(), std::move(value)};
    } else {
      top.node.entries().push_back(
          MapEntry{std::move(top.key), std::move(top.key_mark), std::move(value)});
    }
    top.has_key = false;
  }

  // The model path of the node about to be placed.
  ModelPath PathHere() const {
    ModelPath path;
    for (const Frame& frame : stack_) {
      if (frame.node.IsSequence()) {
        path = path.Index(frame.node.items().size());
      } else if (frame.has_key) {
        path = path.Key(frame.key);
      } else {
        break;
      }
    }
    return path;
  }

  std::shared_ptr<const std::string> file_;
  std::string_view text_;
  std::vector<Frame> stack_;
  std::optional<Node> root_;
  std::unordered_map<YAML::anchor_t, Anchored> anchors_;
  std::unordered_map<YAML::anchor_t, std::string> anchor_names_;
  std::string anchor_name_;  // from OnAnchor, named on the node event that follows
  size_t node_count_ = 0;
  std::optional<Error> error_;
};

std::string MarkWhere(const std::shared_ptr<const std::string>& file, const YAML::Mark& mark) {
  if (mark.is_null()) return *file;
  return Mark{file, mark.line + 1, mark.column + 1}.ToString();
}

// "file:line:col" of byte `offset` in `text`.
std::string NulWhere(const std::shared_ptr<const std::string>& file, std::string_view text,
                     size_t offset) {
  std::string_view before = text.substr(0, offset);
  int line = 1 + static_cast<int>(std::count(before.begin(), before.end(), '\n'));
  size_t line_start = before.rfind('\n');
  int column = static_cast<int>(offset - (line_start == std::string_view::npos ? 0 : line_start + 1)) + 1;
  return Mark{file, line, column}.ToString();
}

Error ParserError(const std::shared_ptr<const std::string>& file, const YAML::Exception& e) {
  if (dynamic_cast<const YAML::DeepRecursion*>(&e)) {
    return Error::Invalid(MarkWhere(file, e.mark), "document nested too deeply");
  }
  return Error::Invalid(MarkWhere(file, e.mark), Reword(e.msg));
}

// Feeds the next document to `builder`; false when the stream has no more.
// yaml-cpp goes on parsing after the builder has failed, so the builder's
// error, which comes first in the text, wins over a later syntax error.
Result<bool> NextDocument(YAML::Parser& parser, TreeBuilder& builder,
                          const std::shared_ptr<const std::string>& file) {
  try {
    bool more = parser.HandleNextDocument(builder);
    if (builder.error()) return *builder.error();
    return more;
  } catch (const YAML::Exception& e) {
    if (builder.error()) return *builder.error();
    return ParserError(file, e);
  }
}

// A stream is one document, possibly surrounded by empty ones ("---" alone).
Result<Node> ReadDocuments(YAML::Parser& parser, const std::shared_ptr<const std::string>& file,
                           std::string_view text) {
  std::optional<Node> document;
  // yaml-cpp 0.7 can report empty documents forever without moving on (on
  // some malformed text, as the fuzzer found). No real file has this many.
  constexpr int kMaxEmptyDocuments = 1000;
  int empty_documents = 0;
  while (true) {
    TreeBuilder builder(file, text);
    auto more = NextDocument(parser, builder, file);
    if (!more.ok()) return std::move(more).error();
    if (!*more) break;
    // A document always has a root. yaml-cpp reports "more" without one when
    // its stream stopped early (at a NUL byte); going round again would spin
    // forever, as the fuzzer found.
    if (!builder.root()) break;
    Node& root = *builder.root();
    if (root.IsNull() && root.tag().empty()) {
      if (++empty_documents > kMaxEmptyDocuments) {
        return Error::Invalid(Where(root, {}), "malformed yaml: the parser stopped advancing here");
      }
      continue;
    }
    if (document) {
      return Error::Invalid(Where(root, {}), "multiple documents in one file are not supported");
    }
    document = std::move(root);
  }
  if (!document) return Node::Null(Mark{file, 0, 0});
  return std::move(*document);
}

}  // namespace

Result<Node> ParseYaml(std::string_view text, const std::string& file) {
  auto file_name = std::make_shared<const std::string>(file);
  // YAML allows no NUL character, and yaml-cpp would silently stop reading at
  // one, so the rest of the file would be lost without a word.
  if (size_t nul = text.find('\0'); nul != std::string_view::npos) {
    return Error::Invalid(NulWhere(file_name, text, nul), "file contains a NUL byte (not a YAML text file)");
  }
  // yaml-cpp throws on bad input; nothing may escape this function.
  try {
    std::istringstream stream{std::string(text)};
    YAML::Parser parser(stream);
    return ReadDocuments(parser, file_name, text);
  } catch (const YAML::Exception& e) {
    return ParserError(file_name, e);
  } catch (const std::bad_alloc&) {
    return Error::Internal(file, "out of memory while reading yaml");
  } catch (const std::exception& e) {
    return Error::Internal(file, Reword(e.what()));
  } catch (...) {
    return Error::Internal(file, "unexpected failure while reading yaml");
  }
}

}  // namespace baton::compose
