// Top-level networks, volumes, secrets and configs, and include items.

#include <optional>

#include "compose/canonical_rules.h"
#include "compose/schema.h"

namespace baton::compose::canonical {
namespace {

using schema::Quote;
using schema::TypeError;

// `external: {name: x}` is the old spelling of `name: x` + `external: true`.
Status CanonicaliseExternal(Node& resource, const ModelPath& at) {
  Node* external = resource.Find("external");
  if (!external || external->tag() == "reset") return Status::Ok();
  ModelPath here = at.Key("external");
  if (external->IsScalar()) return schema::CheckScalar(*external, schema::Kind::kBool, here);
  if (!external->IsMapping()) return TypeError(*external, here, "a boolean or a mapping");
  const Mark mark = external->mark();  // Set below may move `external`
  std::optional<Node> old_name;
  for (MapEntry& e : external->entries()) {
    if (e.key.starts_with("x-")) continue;
    if (e.key != "name")
      return Error::Invalid(Where(e.key_mark, here), "unknown key " + Quote(e.key));
    if (Status s = schema::CheckScalar(e.value, schema::Kind::kString, here.Key(e.key)); !s.ok())
      return s;
    old_name = e.value;
  }
  if (old_name) {
    const Node* name = resource.Find("name");
    if (name && name->scalar() != old_name->scalar())
      return Error::Invalid(Where(*old_name, here.Key("name")),
                            "name and external.name conflict; only use name");
    if (!name) resource.Set("name", *old_name);
  }
  resource.Set("external", Plain("true", mark));
  return Status::Ok();
}

Status Resource(Node& node, const ModelPath& at, const schema::Shape& shape) {
  if (node.IsNull()) {
    node = Node::Mapping(node.mark());
    return Status::Ok();
  }
  if (!node.IsMapping()) return TypeError(node, at, "a mapping");
  if (Status s = schema::Check(node, shape, at); !s.ok()) return s;
  return CanonicaliseExternal(node, at);
}

}  // namespace

Status Network(Node& node, const ModelPath& at) { return Resource(node, at, schema::kNetwork); }
Status Volume(Node& node, const ModelPath& at) { return Resource(node, at, schema::kVolume); }
Status Secret(Node& node, const ModelPath& at) { return Resource(node, at, schema::kSecret); }
Status Config(Node& node, const ModelPath& at) { return Resource(node, at, schema::kConfig); }

Status Include(Node& node, const ModelPath& at) {
  if (node.IsScalar()) {
    Node paths = Node::Sequence(node.mark());
    paths.Append(Text(node.scalar(), node.mark()));
    Node item = Node::Mapping(node.mark());
    item.Set("path", std::move(paths));
    node = std::move(item);
    return Status::Ok();
  }
  if (!node.IsMapping()) return TypeError(node, at, "a string or a mapping");
  return schema::Check(node, schema::kInclude, at);
}

}  // namespace baton::compose::canonical
