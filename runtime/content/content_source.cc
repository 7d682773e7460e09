// runtime::ContentSource over what ReadProjectContent kept: tars are made
// from the kept trees when apply asks, so nothing is read twice into memory.

#include <memory>

#include "runtime/content/project_content.h"
#include "runtime/content/tar_stream.h"

namespace baton::content {
namespace {

// A remote build context has no body: the engine fetches the URL itself.
class EmptyTarSource final : public runtime::TarSource {
 public:
  Result<size_t> Read(std::span<char>) override { return size_t{0}; }
  Status Verify() const override { return Status::Ok(); }
  uint64_t size() const override { return 0; }
};

class ProjectContentSource final : public runtime::ContentSource {
 public:
  explicit ProjectContentSource(const ProjectContent& content) : content_(content) {}

  Result<std::unique_ptr<runtime::TarSource>> OpenCopy(const std::string& digest) const override {
    auto copy = content_.copies.find(digest);
    if (copy == content_.copies.end())
      return Error::NotFound("", "no project files with digest " + digest.substr(0, 16));
    return OpenTarStream(copy->second, Owners::kKeep, "", digest);
  }

  Result<std::unique_ptr<runtime::TarSource>> OpenBuildContext(
      const std::string& service) const override {
    auto build = content_.builds.find(service);
    if (build == content_.builds.end()) return Error::NotFound("", service + " has no build");
    if (!build->second.request.remote.empty())
      return std::unique_ptr<runtime::TarSource>(std::make_unique<EmptyTarSource>());
    return OpenTarStream(build->second.tree, Owners::kRoot, "", build->second.digest);
  }

  Result<runtime::BuildRequest> BuildRequestOf(const std::string& service) const override {
    auto build = content_.builds.find(service);
    if (build == content_.builds.end()) return Error::NotFound("", service + " has no build");
    return build->second.request;
  }

  Result<std::string> SecretValue(const std::string& key) const override {
    auto secret = content_.secrets.find(key);
    if (secret == content_.secrets.end())
      return Error::NotFound("", "secret \"" + key + "\" was not read");
    return secret->second.value();
  }

 private:
  const ProjectContent& content_;
};

}  // namespace

std::unique_ptr<runtime::ContentSource> MakeContentSource(const ProjectContent& content) {
  return std::make_unique<ProjectContentSource>(content);
}

}  // namespace baton::content
