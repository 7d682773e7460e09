// HashedServiceNode with local content, declared in spec_hash.h: project
// paths made relative and content digests added under `x-content` keys.
// compose's own keys never start with "x-", so these cannot clash with one.

#include <set>

#include "planner/spec_hash.h"

namespace baton::planner {
namespace {

constexpr char kContentKey[] = "x-content";

// "." for the project folder itself, "./rel" below it, else `text` as is.
std::string RelativeToProject(const std::string& text, const std::string& project_dir) {
  if (project_dir.empty()) return text;
  if (text == project_dir) return ".";
  std::string prefix = project_dir.back() == '/' ? project_dir : project_dir + "/";
  if (text.size() > prefix.size() && text.compare(0, prefix.size(), prefix) == 0)
    return "./" + text.substr(prefix.size());
  return text;
}

void MakePathsRelative(compose::Node& node, const std::string& project_dir) {
  switch (node.kind()) {
    case compose::Node::Kind::kScalar:
      node.set_scalar(RelativeToProject(node.scalar(), project_dir));
      break;
    case compose::Node::Kind::kSequence:
      for (compose::Node& item : node.items()) MakePathsRelative(item, project_dir);
      break;
    case compose::Node::Kind::kMapping:
      for (compose::MapEntry& entry : node.entries()) MakePathsRelative(entry.value, project_dir);
      break;
    case compose::Node::Kind::kNull:
      break;
  }
}

void AddContent(compose::Node& node, const std::string& digest) {
  if (node.IsMapping()) node.Set(kContentKey, compose::Node::Scalar(digest));
}

// The item of sequence `key` at `index`, when there is one.
compose::Node* Item(compose::Node& service, const char* key, size_t index) {
  compose::Node* list = service.Find(key);
  if (!list || !list->IsSequence() || index >= list->items().size()) return nullptr;
  return &list->items()[index];
}

// A bind mount is served from the copy with its target: Docker refuses two
// mounts on one target, so the target names the copy.
void AddVolumeDigests(compose::Node& node, const compose::Service& service,
                      const ServiceContent& content) {
  for (size_t i = 0; i < service.volumes.size(); ++i) {
    if (service.volumes[i].type != "bind") continue;
    for (const FileCopyUse& copy : content.copies) {
      if (copy.config || copy.target != service.volumes[i].target) continue;
      if (compose::Node* item = Item(node, "volumes", i)) AddContent(*item, copy.digest);
      break;
    }
  }
}

// compose's rule: no target means "/<source>", a relative one "/<target>".
std::string ConfigTarget(const compose::FileReference& ref) {
  if (ref.target.empty()) return "/" + ref.source;
  return ref.target.front() == '/' ? ref.target : "/" + ref.target;
}

// Each config by its target; failing that (a target the content stage
// spelled differently), the config copy at the same position.
void AddConfigDigests(compose::Node& node, const compose::Service& service,
                      const ServiceContent& content) {
  std::vector<const FileCopyUse*> configs;
  for (const FileCopyUse& copy : content.copies)
    if (copy.config) configs.push_back(&copy);
  for (size_t i = 0; i < service.configs.size(); ++i) {
    const FileCopyUse* match = i < configs.size() ? configs[i] : nullptr;
    for (const FileCopyUse* copy : configs)
      if (copy->target == ConfigTarget(service.configs[i])) match = copy;
    compose::Node* item = Item(node, "configs", i);
    if (match && item) AddContent(*item, match->digest);
  }
}

// Each secret reference takes the first unused SecretUse of its key, so a
// secret mounted twice at two targets counts twice.
void AddSecretFingerprints(compose::Node& node, const compose::Service& service,
                           const ServiceContent& content) {
  std::set<size_t> used;
  for (size_t i = 0; i < service.secrets.size(); ++i) {
    for (size_t k = 0; k < content.secrets.size(); ++k) {
      if (used.count(k) || content.secrets[k].key != service.secrets[i].source) continue;
      used.insert(k);
      if (compose::Node* item = Item(node, "secrets", i))
        AddContent(*item, content.secrets[k].fingerprint);
      break;
    }
  }
}

}  // namespace

compose::Node HashedServiceNode(const compose::Service& service, const ServiceContent& content,
                                const std::string& project_dir) {
  compose::Node node = HashedServiceNode(service);
  MakePathsRelative(node, project_dir);
  if (content.build)
    if (compose::Node* build = node.Find("build")) AddContent(*build, content.build->digest);
  AddVolumeDigests(node, service, content);
  AddConfigDigests(node, service, content);
  AddSecretFingerprints(node, service, content);
  return node;
}

}  // namespace baton::planner
