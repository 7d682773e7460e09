#include "compose/extends.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "compose/canonical.h"
#include "compose/merge.h"
#include "compose/paths.h"
#include "compose/yaml_reader.h"

namespace baton::compose {
namespace {

struct ServiceRef {
  std::string file;  // absolute
  std::string service;
  bool operator==(const ServiceRef&) const = default;
};

// A file whose services take part in extends. The file being resolved is
// canonical throughout; other files are canonicalised one service at a time,
// as a chain reaches them, so that unrelated services do not matter.
struct ExtendsFile {
  std::string path;
  Node* root = nullptr;
  bool canonical = false;
  std::set<std::string> ready;  // services canonicalised, paths resolved
};

// What an `extends` names.
struct ExtendsTarget {
  std::string service;
  const Node* file = nullptr;  // the `file` value, if any
};

ModelPath ServicePath(const std::string& name) { return ModelPath().Key("services").Key(name); }

bool IsRemote(std::string_view path) { return path.starts_with("oci://") || IsRemoteContext(path); }

class ExtendsResolver {
 public:
  ExtendsResolver(Node& root, const std::string& file, const FileStageContext& ctx) : ctx_(ctx) {
    files_[file] = ExtendsFile{file, &root, true, {}};
  }

  Status ResolveAll(const std::string& file) {
    ExtendsFile& main = files_[file];
    Node* services = main.root->IsMapping() ? main.root->Find("services") : nullptr;
    if (!services || !services->IsMapping()) return Status::Ok();
    std::vector<std::string> names;
    for (const MapEntry& e : services->entries()) names.push_back(e.key);
    for (const std::string& name : names) {
      std::vector<ServiceRef> chain{{file, name}};
      if (auto r = Resolve(main, name, chain); !r.ok()) return r.error();
    }
    return Status::Ok();
  }

 private:
  std::string Display(const std::string& path) const {
    return DisplayName(path, ctx_.display_root);
  }

  static Result<ExtendsTarget> ReadTarget(const Node& extends, const ModelPath& at) {
    if (extends.IsScalar()) return ExtendsTarget{extends.scalar(), nullptr};
    const Node* service = extends.IsMapping() ? extends.Find("service") : nullptr;
    if (!service || !service->IsScalar() || service->scalar().empty())
      return Error::Invalid(Where(extends, at), "extends needs the name of a service");
    const Node* file = extends.Find("file");
    return ExtendsTarget{service->scalar(), file && !file->IsNull() ? file : nullptr};
  }

  // The service `name` of `file` with its own extends resolved; `chain`
  // ends with it.
  Result<Node*> Resolve(ExtendsFile& file, const std::string& name,
                        std::vector<ServiceRef>& chain) {
    Node* service = file.root->Find("services")->Find(name);
    if (auto s = Prepare(file, name, *service); !s.ok()) return s.error();
    const Node* extends = service->IsMapping() ? service->Find("extends") : nullptr;
    if (!extends) return service;
    const ModelPath at = ServicePath(name).Key("extends");
    auto target = ReadTarget(*extends, at);
    if (!target.ok()) return std::move(target).error();
    auto base_file = BaseFile(file, *target, at);
    if (!base_file.ok()) return std::move(base_file).error();
    if (auto s = CheckBase(**base_file, file, target->service, *extends, at); !s.ok())
      return s.error();
    ServiceRef next{(*base_file)->path, target->service};
    if (std::find(chain.begin(), chain.end(), next) != chain.end())
      return Error::Invalid(Where(*extends, at), "extends cycle: " + ChainText(chain, next));
    chain.push_back(next);
    auto base = Resolve(**base_file, target->service, chain);
    chain.pop_back();
    if (!base.ok()) return std::move(base).error();
    Node extending = *service;
    extending.Erase("extends");
    auto merged = MergeResource("services", name, **base, extending);
    if (!merged.ok()) return std::move(merged).error();
    *service = std::move(*merged);
    return service;
  }

  Status Prepare(ExtendsFile& file, const std::string& name, Node& service) {
    // A service left empty in another file is an empty base, as in compose.
    if (file.canonical || file.ready.count(name) || service.IsNull()) return Status::Ok();
    if (auto s = CanonicaliseService(service, ServicePath(name)); !s.ok()) return s;
    std::string dir = std::filesystem::path(file.path).parent_path().string();
    ResolveServicePaths(service, PathContext{dir, ctx_.home_dir});
    file.ready.insert(name);
    return Status::Ok();
  }

  Result<ExtendsFile*> BaseFile(ExtendsFile& from, const ExtendsTarget& target,
                                const ModelPath& at) {
    if (!target.file) return &from;
    const ModelPath file_at = at.Key("file");
    if (!target.file->IsScalar())
      return Error::Invalid(Where(*target.file, file_at), "extends file must be a string");
    const std::string& path = target.file->scalar();
    if (IsRemote(path))
      return Error::Invalid(Where(*target.file, file_at),
                            "remote extends files are not supported: " + path);
    auto found = files_.find(path);
    if (found != files_.end()) return &found->second;
    auto root = Open(path, *target.file, file_at);
    if (!root.ok()) return std::move(root).error();
    Node& stored = roots_[path] = std::move(*root);
    return &(files_[path] = ExtendsFile{path, &stored, false, {}});
  }

  // Reads, parses and interpolates another file.
  Result<Node> Open(const std::string& path, const Node& file_node, const ModelPath& at) {
    auto text = ctx_.files->Read(path);
    if (!text.ok()) {
      Error e = std::move(text).error();
      return Error{e.kind, Where(file_node, at), Display(path) + ": " + e.message};
    }
    auto root = ParseYaml(*text, Display(path));
    if (!root.ok()) return std::move(root).error();
    if (ctx_.interpolate) {
      if (auto s = Interpolate(*root, LookupIn(ctx_.environment)); !s.ok()) return s.error();
    }
    return root;
  }

  Status CheckBase(const ExtendsFile& base_file, const ExtendsFile& from,
                   const std::string& service, const Node& extends, const ModelPath& at) {
    const Node* root = base_file.root;
    const Node* services = root->IsMapping() ? root->Find("services") : nullptr;
    if (services && services->IsMapping() && services->Find(service)) return Status::Ok();
    std::string message = "service \"" + service + "\" not found";
    if (&base_file != &from) message += " in " + Display(base_file.path);
    return Error::NotFound(Where(extends, at), message);
  }

  std::string ChainText(const std::vector<ServiceRef>& chain, const ServiceRef& last) const {
    std::string text;
    for (const ServiceRef& ref : chain) text += ref.service + " (" + Display(ref.file) + ") -> ";
    return text + last.service + " (" + Display(last.file) + ")";
  }

  const FileStageContext& ctx_;
  std::map<std::string, ExtendsFile> files_;
  std::map<std::string, Node> roots_;  // the trees of files other than the one resolved
};

}  // namespace

Status ResolveExtends(Node& file_root, const std::string& file, const FileStageContext& ctx) {
  ExtendsResolver resolver(file_root, file, ctx);
  return resolver.ResolveAll(file);
}

}  // namespace baton::compose
