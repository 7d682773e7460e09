#include "runtime/content/build_context.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <system_error>

#include <nlohmann/json.hpp>

#include "base/file_system.h"
#include "base/sha256.h"
#include "compose/paths.h"
#include "runtime/content/content_pass.h"
#include "runtime/content/ignore_rules.h"
#include "runtime/content/tree.h"

namespace baton::content {
namespace {

namespace fs = std::filesystem;

// Where the Dockerfile comes from: a file inside the context (sent as it
// is), or text added to the tree as a generated entry (dockerfile_inline, or
// a file outside the context, which the tar could not otherwise hold).
struct DockerfilePlace {
  std::string absolute;                  // the local file; "" when inline
  std::string in_context;                // its path in the context, or ""
  std::optional<std::string> generated;  // content of a generated entry
};

// The part of `path` under `dir` ("sub/Dockerfile"), or nullopt outside it.
std::optional<std::string> RelativeTo(const std::string& dir, const std::string& path) {
  std::string prefix = dir.ends_with('/') ? dir : dir + "/";
  if (!path.starts_with(prefix) || path.size() == prefix.size()) return std::nullopt;
  return path.substr(prefix.size());
}

bool OtherFlag(const compose::Node& other, std::string_view key) {
  const compose::Node* flag = other.Find(key);
  return flag && flag->IsScalar() && flag->scalar() == "true";
}

runtime::BuildRequest RequestOptions(const compose::BuildConfig& build) {
  runtime::BuildRequest request;
  for (const auto& [name, value] : build.args)
    if (value) request.args[name] = *value;
  request.labels = build.labels;
  request.target = build.target;
  request.network = build.network;
  // compose writes extra hosts "name=ip"; the engine takes "name:ip".
  for (std::string host : build.extra_hosts) {
    if (size_t eq = host.find('='); eq != std::string::npos) host[eq] = ':';
    request.extra_hosts.push_back(std::move(host));
  }
  request.cache_from = build.cache_from;
  request.shm_size = build.shm_size;
  request.no_cache = OtherFlag(build.other, "no_cache");
  request.pull = OtherFlag(build.other, "pull");
  return request;
}

// The classic builder (the only one POST /build offers without a BuildKit
// session) cannot do these; saying so at plan time beats a daemon error.
bool AcceptsClassicBuild(ContentPass& pass, const compose::Service& service) {
  const compose::BuildConfig& build = *service.build;
  size_t before = pass.out.errors.size();
  auto refuse = [&](const std::string& key, const std::string& mark_key, const std::string& why) {
    pass.Fail(ContentPass::ServiceWhere(service, key, mark_key), why);
  };
  const std::string classic = "baton builds with the classic builder, which ";
  if (!build.secrets.empty())
    refuse("build.secrets", "build.secrets[0]", classic + "has no build secrets");
  if (!build.ssh.empty()) refuse("build.ssh", "build", classic + "has no ssh forwarding");
  if (!build.cache_to.empty()) refuse("build.cache_to", "build", classic + "cannot export a cache");
  if (!build.additional_contexts.empty())
    refuse("build.additional_contexts", "build", classic + "has no additional contexts");
  if (build.platforms.size() > 1)
    refuse("build.platforms", "build",
           "baton builds each service once, for one platform; " +
               std::to_string(build.platforms.size()) + " are listed");
  return pass.out.errors.size() == before;
}

bool ReadRemoteContext(ContentPass& pass, const std::string& where,
                       const compose::BuildConfig& build, BuildContext& out) {
  const std::string& url = build.context;
  bool fetchable = url.starts_with("http://") || url.starts_with("https://") ||
                   url.starts_with("git://") || url.starts_with("git@") ||
                   url.starts_with("github.com/");
  if (!fetchable) {
    pass.Fail(where, "build context " + url +
                         " is not supported: baton builds from a folder, a git or an http(s) URL");
    return false;
  }
  if (!build.dockerfile_inline.empty()) {
    pass.Fail(where, "dockerfile_inline cannot be used with the remote context " + url);
    return false;
  }
  out.request.remote = url;
  out.request.dockerfile = build.dockerfile.empty() ? "Dockerfile" : build.dockerfile;
  return true;
}

std::optional<DockerfilePlace> LocateDockerfile(ContentPass& pass, const std::string& where,
                                                const compose::BuildConfig& build) {
  DockerfilePlace place;
  if (!build.dockerfile_inline.empty()) {
    place.generated = build.dockerfile_inline;
    return place;
  }
  place.absolute = build.dockerfile.starts_with('/')
                       ? compose::CleanPath(build.dockerfile)
                       : compose::CleanPath(build.context + "/" + build.dockerfile);
  std::error_code ec;
  if (!fs::is_regular_file(place.absolute, ec)) {
    pass.Fail(where, "dockerfile " + pass.Display(place.absolute) + " does not exist");
    return std::nullopt;
  }
  if (auto inside = RelativeTo(build.context, place.absolute)) {
    place.in_context = *inside;
    return place;
  }
  RealFileSystem files;
  Result<std::string> text = files.Read(place.absolute);
  if (!text.ok()) {
    pass.Fail(where, "dockerfile " + pass.Display(place.absolute) + " cannot be read");
    return std::nullopt;
  }
  place.generated = std::move(*text);
  return place;
}

// `<Dockerfile>.dockerignore` beside the Dockerfile wins over the context's
// `.dockerignore` (BuildKit's rule, which compose users rely on). The
// Dockerfile and the ignore file are always sent, as the Docker CLI does.
std::optional<IgnoreRules> ReadIgnoreRules(ContentPass& pass, const std::string& where,
                                           const std::string& context,
                                           const DockerfilePlace& dockerfile) {
  std::vector<std::string> candidates;
  if (!dockerfile.absolute.empty()) candidates.push_back(dockerfile.absolute + ".dockerignore");
  candidates.push_back(context + "/.dockerignore");
  RealFileSystem files;
  IgnoreRules rules;
  for (const std::string& candidate : candidates) {
    if (!files.IsFile(candidate)) continue;
    Result<std::string> text = files.Read(candidate);
    Result<IgnoreRules> parsed = text.ok() ? IgnoreRules::Parse(*text, pass.Display(candidate))
                                           : Result<IgnoreRules>(std::move(text).error());
    if (!parsed.ok()) {
      pass.Fail(where, parsed.error().ToString());
      return std::nullopt;
    }
    rules = std::move(*parsed);
    if (auto inside = RelativeTo(context, candidate)) rules.KeepAlways(*inside);
    break;
  }
  rules.KeepAlways(".dockerignore");
  if (!dockerfile.in_context.empty()) rules.KeepAlways(dockerfile.in_context);
  return rules;
}

// Adds the generated Dockerfile entry where the sort order puts it; returns
// its name.
std::string AddGeneratedDockerfile(Tree& tree, std::string text) {
  TreeEntry entry;
  entry.type = TreeEntry::Type::kFile;
  entry.path = ".baton-dockerfile-" + Sha256Hex(text).substr(0, 12);
  entry.mode = 0644;
  entry.size = text.size();
  entry.generated = std::move(text);
  auto at = std::lower_bound(tree.entries.begin(), tree.entries.end(), entry.path,
                             [](const TreeEntry& e, const std::string& p) { return e.path < p; });
  if (at != tree.entries.end() && at->path == entry.path) at = tree.entries.erase(at);
  std::string name = entry.path;
  tree.entries.insert(at, std::move(entry));
  return name;
}

bool ReadLocalContext(ContentPass& pass, const std::string& where,
                      const compose::BuildConfig& build, BuildContext& out) {
  std::error_code ec;
  if (!fs::is_directory(build.context, ec)) {
    bool exists = fs::exists(build.context, ec);
    pass.Fail(where, "build context " + pass.Display(build.context) +
                         (exists ? " is not a folder" : " does not exist"));
    return false;
  }
  std::optional<DockerfilePlace> dockerfile = LocateDockerfile(pass, where, build);
  if (!dockerfile) return false;
  std::optional<IgnoreRules> rules = ReadIgnoreRules(pass, where, build.context, *dockerfile);
  if (!rules) return false;
  Result<Tree> tree = ReadTree(build.context, &*rules);
  if (!tree.ok()) {
    pass.Fail(where, tree.error().ToString());
    return false;
  }
  for (const std::string& skipped : tree->skipped)
    pass.Note(where, pass.Display(build.context + "/" + skipped) +
                         " is not a file, folder or symlink and is not sent");
  out.request.dockerfile = dockerfile->generated
                               ? AddGeneratedDockerfile(*tree, std::move(*dockerfile->generated))
                               : dockerfile->in_context;
  Result<std::string> digest = TreeDigest(*tree, Owners::kRoot);
  if (!digest.ok()) {
    pass.Fail(where, digest.error().ToString());
    return false;
  }
  out.tree = std::move(*tree);
  out.digest = std::move(*digest);
  return true;
}

std::string ContextLabel(const ContentPass& pass, const std::string& context, const Tree& tree) {
  uint64_t files = tree.files();
  return pass.Display(context) + ", " + std::to_string(files) + (files == 1 ? " file, " : " files, ") +
         SizeText(tree.bytes());
}

std::string DefaultImageName(const std::string& project, std::string service) {
  // Image references are lower case; compose names the image this way.
  for (char& c : service) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return project + "-" + service;
}

}  // namespace

std::string BuildDigest(const std::string& tree_digest, const runtime::BuildRequest& request) {
  nlohmann::json options = {
      {"dockerfile", request.dockerfile},  {"args", request.args},
      {"target", request.target},          {"labels", request.labels},
      {"network", request.network},        {"extra_hosts", request.extra_hosts},
      {"cache_from", request.cache_from},  {"no_cache", request.no_cache},
      {"pull", request.pull},              {"remote", request.remote},
      {"shm_size", request.shm_size ? nlohmann::json(*request.shm_size) : nlohmann::json()},
  };
  // Object keys are kept sorted; invalid UTF-8 is replaced rather than thrown.
  std::string text = options.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return Sha256Hex("baton-build-v1\n" + tree_digest + "\n" + text);
}

std::string DigestTag(const std::string& image, const std::string& digest) {
  std::string repository = image.substr(0, image.find('@'));
  size_t slash = repository.rfind('/');
  size_t colon = repository.rfind(':');
  // A colon before the last slash is a registry port, not a tag.
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash))
    repository.resize(colon);
  return repository + ":baton-" + digest.substr(0, 12);
}

std::optional<planner::BuildUse> ReadBuild(ContentPass& pass, const compose::Service& service) {
  const compose::BuildConfig& build = *service.build;
  const std::string where = ContentPass::ServiceWhere(service, "build");
  bool accepted = AcceptsClassicBuild(pass, service);
  bool remote = compose::IsRemoteContext(build.context);
  BuildContext context;
  context.request = RequestOptions(build);
  bool read = remote ? ReadRemoteContext(pass, where, build, context)
                     : ReadLocalContext(pass, where, build, context);
  if (!accepted || !read) return std::nullopt;
  planner::BuildUse use;
  use.digest = BuildDigest(context.digest, context.request);
  use.image = service.image.empty() ? DefaultImageName(pass.project.name, service.name)
                                    : service.image;
  use.tag = DigestTag(use.image, use.digest);
  use.label = remote ? build.context : ContextLabel(pass, build.context, context.tree);
  pass.out.builds.insert_or_assign(service.name, std::move(context));
  return use;
}

}  // namespace baton::content
