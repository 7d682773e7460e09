// Service keys with a short syntax: command/entrypoint, healthcheck.test,
// depends_on, networks, models, secrets/configs, build, extends, ulimits,
// gpus, and the string keys with a fixed set of values (restart,
// pull_policy).

#include <string_view>

#include "compose/canonical_rules.h"
#include "compose/scalar.h"
#include "compose/schema.h"
#include "compose/shell_words.h"

namespace baton::compose::canonical {
namespace {

using schema::Quote;
using schema::TypeError;

// Checks that every item of a sequence is a scalar and marks it as a string.
Status StringItems(Node& node, const ModelPath& at) {
  for (size_t i = 0; i < node.items().size(); ++i) {
    Node& item = node.items()[i];
    if (Status s = schema::CheckScalar(item, schema::Kind::kString, at.Index(i)); !s.ok())
      return s;
  }
  return Status::Ok();
}

// A string short form of a mapping: "x" becomes {key: "x"}; the long form
// is checked against `shape`.
Status ScalarOrObject(Node& node, const ModelPath& at, const char* key,
                      const schema::Shape& shape) {
  if (node.IsScalar()) {
    Node mapping = Node::Mapping(node.mark());
    mapping.Set(key, Text(node.scalar(), node.mark()));
    node = std::move(mapping);
    return Status::Ok();
  }
  if (!node.IsMapping()) return TypeError(node, at, "a string or a mapping");
  return schema::Check(node, shape, at);
}

// [a, b] -> {a: value, b: value}; a mapping keeps its entries, each checked
// against `entry` unless null.
Status NamesToMapping(Node& node, const ModelPath& at, const schema::Shape& entry,
                      const Node& value) {
  if (node.IsMapping()) {
    for (MapEntry& e : node.entries())
      if (!e.value.IsNull())
        if (Status s = schema::Check(e.value, entry, at.Key(e.key)); !s.ok()) return s;
    return Status::Ok();
  }
  if (!node.IsSequence()) return TypeError(node, at, "a sequence or a mapping");
  if (Status s = StringItems(node, at); !s.ok()) return s;
  Node mapping = Node::Mapping(node.mark());
  for (size_t i = 0; i < node.items().size(); ++i) {
    const Node& item = node.items()[i];
    if (mapping.Find(item.scalar()))
      return Error::Invalid(Where(item, at.Index(i)), "duplicate item " + Quote(item.scalar()));
    Node v = value;
    v.set_mark(item.mark());
    mapping.Set(item.scalar(), std::move(v), item.mark());
  }
  node = std::move(mapping);
  return Status::Ok();
}

Node DefaultDependency() {
  Node d = Node::Mapping();
  d.Set("condition", Text("service_started", {}));
  d.Set("required", Plain("true", {}));
  return d;
}

// Sets the marks of a default-made dependency to where its name was written.
void MarkAll(Node& node, const Mark& mark) {
  node.set_mark(mark);
  for (MapEntry& e : node.entries()) {
    e.key_mark = mark;
    MarkAll(e.value, mark);
  }
}

bool IsPullRefresh(std::string_view text) {
  if (text.substr(0, 6) != "every_" || text.size() == 6) return false;
  text.remove_prefix(6);
  // ([0-9]+[wdhms])+
  while (!text.empty()) {
    size_t digits = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
    if (digits == 0 || digits == text.size()) return false;
    if (std::string_view("wdhms").find(text[digits]) == std::string_view::npos) return false;
    text.remove_prefix(digits + 1);
  }
  return true;
}

}  // namespace

Status Command(Node& node, const ModelPath& at) {
  if (node.IsSequence()) return StringItems(node, at);
  if (!node.IsScalar()) return TypeError(node, at, "a string or a sequence");
  Result<std::vector<std::string>> words = SplitShellWords(node.scalar());
  if (!words.ok())
    return Error::Invalid(Where(node, at), "cannot split " + Quote(node.scalar()) +
                                               " into words: " + words.error().message);
  Node list = Node::Sequence(node.mark());
  for (std::string& word : *words) list.Append(Text(std::move(word), node.mark()));
  node = std::move(list);
  return Status::Ok();
}

Status HealthcheckTest(Node& node, const ModelPath& at) {
  if (node.IsScalar()) {
    Node list = Node::Sequence(node.mark());
    list.Append(Text("CMD-SHELL", node.mark()));
    list.Append(Text(node.scalar(), node.mark()));
    node = std::move(list);
    return Status::Ok();
  }
  if (!node.IsSequence()) return TypeError(node, at, "a string or a sequence");
  if (Status s = StringItems(node, at); !s.ok()) return s;
  if (node.items().empty()) return Status::Ok();
  std::string_view first = node.items()[0].scalar();
  if (first != "CMD" && first != "CMD-SHELL" && first != "NONE")
    return Error::Invalid(Where(node.items()[0], at.Index(0)),
                          "must start with \"CMD\", \"CMD-SHELL\" or \"NONE\"");
  return Status::Ok();
}

// Defaults are filled in for the list form only: a mapping entry in an
// override file may change `required` alone and must not reset `condition`.
Status DependsOn(Node& node, const ModelPath& at) {
  bool list = node.IsSequence();
  if (node.IsMapping())
    for (const MapEntry& e : node.entries())
      if (e.value.tag() != "reset" && !e.value.IsMapping())
        return TypeError(e.value, at.Key(e.key), "a mapping");
  if (Status s = NamesToMapping(node, at, schema::kDependsOnEntry, DefaultDependency()); !s.ok())
    return s;
  if (list)
    for (MapEntry& e : node.entries()) MarkAll(e.value, e.key_mark);
  return Status::Ok();
}

Status ServiceNetworks(Node& node, const ModelPath& at) {
  return NamesToMapping(node, at, schema::kServiceNetwork, Node::Null());
}

Status ServiceModels(Node& node, const ModelPath& at) {
  return NamesToMapping(node, at, schema::kServiceModel, Node::Null());
}

Status FileMount(Node& node, const ModelPath& at) {
  return ScalarOrObject(node, at, "source", schema::kFileMount);
}

// No default context here: an override file's `build: {dockerfile: x}` must
// not replace the base file's context when the files are merged.
// Normalisation makes a missing context the project directory.
Status Build(Node& node, const ModelPath& at) {
  return ScalarOrObject(node, at, "context", schema::kBuild);
}

Status Extends(Node& node, const ModelPath& at) {
  return ScalarOrObject(node, at, "service", schema::kExtendsLong);
}

Status Ulimit(Node& node, const ModelPath& at) {
  if (node.IsScalar()) return schema::CheckScalar(node, schema::Kind::kInt, at);
  if (!node.IsMapping()) return TypeError(node, at, "an integer or a mapping");
  return schema::Check(node, schema::kUlimitLong, at);
}

Status Gpus(Node& node, const ModelPath& at) {
  if (node.IsScalar()) {
    static constexpr std::string_view kAll[] = {"all"};
    if (node.scalar() != "all") return schema::ChoiceError(node, at, kAll);
    Node request = Node::Mapping(node.mark());
    request.Set("count", Text("all", node.mark()));
    Node list = Node::Sequence(node.mark());
    list.Append(std::move(request));
    node = std::move(list);
    return Status::Ok();
  }
  static constexpr schema::Shape kRequests{.kind = schema::Kind::kList,
                                           .element = &schema::kDeviceRequest};
  if (!node.IsSequence()) return TypeError(node, at, "a string or a sequence");
  return schema::Check(node, kRequests, at);
}

Status Restart(Node& node, const ModelPath& at) {
  static constexpr std::string_view kChoices[] = {"no", "always", "on-failure",
                                                  "unless-stopped"};
  if (!node.IsScalar()) return TypeError(node, at, "a string");
  std::string_view text = node.scalar();
  bool known = false;
  for (std::string_view c : kChoices) known = known || text == c;
  if (text.substr(0, 11) == "on-failure:") {
    std::optional<int64_t> retries = ParseInt(text.substr(11));
    known = retries && *retries >= 0;
  }
  if (!known) return schema::ChoiceError(node, at, kChoices);
  node.set_quoted(true);
  return Status::Ok();
}

Status PullPolicy(Node& node, const ModelPath& at) {
  static constexpr std::string_view kChoices[] = {
      "always", "never", "build", "if_not_present", "missing",
      "refresh", "daily", "weekly", "every_<duration>"};
  if (!node.IsScalar()) return TypeError(node, at, "a string");
  std::string_view text = node.scalar();
  bool known = IsPullRefresh(text);
  for (size_t i = 0; i + 1 < std::size(kChoices); ++i) known = known || text == kChoices[i];
  if (!known) return schema::ChoiceError(node, at, kChoices);
  node.set_quoted(true);
  return Status::Ok();
}

}  // namespace baton::compose::canonical
