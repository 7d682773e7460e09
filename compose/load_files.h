#pragma once
// The per-file stages of loading (see load.h), shared by the project itself
// and by the sub-projects that `include` loads: each compose file goes
// through ParseYaml -> Interpolate -> Canonicalise -> ResolvePaths ->
// ResolveIncludes -> ResolveExtends, then the files are merged in order.
//
// Includes are resolved before extends, as compose does, so a service may
// extend a service that an `include` of the same file brings in.

#include <string>
#include <vector>

#include "base/file_system.h"
#include "base/result.h"
#include "compose/interpolate.h"
#include "compose/load.h"
#include "compose/node.h"

namespace baton::compose {

// What the per-file stages need to know about the (sub-)project being loaded.
struct FileStageContext {
  FileSystem* files = nullptr;
  std::string project_dir;   // absolute; relative paths in the files start here
  std::string home_dir;      // what `~` stands for; "" leaves `~` paths as written
  std::string display_root;  // files below it are named relative to it in errors
  bool interpolate = true;
  Environment environment;  // the variables files are interpolated with
  // Absolute paths of the files including the ones being loaded, outermost
  // first, to reject include cycles.
  std::vector<std::string> include_chain;
};

struct ParsedFile {
  std::string path;  // absolute
  Node root;         // as parsed; Null for an empty file
};

// `path` as errors name it: relative to `display_root` when below it
// ("compose.yaml", "sub/base.yaml"), else the absolute path.
std::string DisplayName(const std::string& path, const std::string& display_root);

// Looks variables up in `environment`.
Lookup LookupIn(const Environment& environment);

// Reads and parses one compose file. Errors: the file system's (kNotFound
// "no such file" with the path as `where`) or ParseYaml's.
Result<ParsedFile> ReadComposeFile(const std::string& path, const FileStageContext& ctx);

// Runs the per-file stages on each parsed file and merges them in order.
// The result is one canonical tree with absolute paths and no `include`
// or `extends` left (an empty Mapping when every file is empty).
Result<Node> LoadParsedFiles(std::vector<ParsedFile> parsed, const FileStageContext& ctx);

// ReadComposeFile for each of `paths`, then LoadParsedFiles.
Result<Node> LoadComposeFiles(const std::vector<std::string>& paths, const FileStageContext& ctx);

}  // namespace baton::compose
