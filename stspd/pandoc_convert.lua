-- stspd's conversion, run by `pandoc lua pandoc_convert.lua PLAN.json`: the Markdown is read once, then written
-- in several formats. Reading is a third of each conversion's cost; sharing it is what lets five formats build
-- in about 1.5 s. (As a script, not a custom writer: those cost 30 ms more to start.)
--
-- The plan (JSON) names the Markdown and lists the outputs in order; each is written to its file, then
-- announced on stdout (plan.announce, then the format's name), so that Python finishes it while the next one
-- is written.
--
-- `pandoc.write` does not sandbox anything: the rule that a text cannot pull a local file into the document is
-- enforced here, on the document itself, before any writer sees it.

local function read_file(path)
  local file = assert(io.open(path, "rb"))
  local content = file:read("a")
  file:close()
  return content
end

local plan = pandoc.json.decode(read_file(arg[1]), false)
local ANNOUNCE = plan.announce

local allowed_images = {}
for _, name in ipairs(plan.images) do
  allowed_images[name] = true
end

-- Only images stspd put there (data URIs, files it wrote beside the Typst source) are kept; any other keeps its text.
local image_guard = {
  Image = function(image)
    if image.src:sub(1, 5) == "data:" or allowed_images[image.src] then
      return nil
    end
    return image.caption
  end,
}

local function read(path)
  local doc = pandoc.read(read_file(path), plan.reader)
  if plan.guard_images then -- a walk over every inline costs 0.06 s: only when the Markdown has an image
    doc = doc:walk(image_guard)
  end
  return doc
end

local function writer_options(output)
  local options = {
    table_of_contents = output.toc,
    toc_depth = output.toc_depth,
    variables = output.variables,
    template = pandoc.template.compile(
      output.template and read_file(output.template) or pandoc.template.default(output.format)),
  }
  if output.reference_doc then
    options.reference_doc = output.reference_doc
  end
  return pandoc.WriterOptions(options)
end

local function write(doc, output)
  doc = pandoc.utils.run_lua_filter(doc, plan.filter, setmetatable({ FORMAT = output.format }, { __index = _G }))
  local file = assert(io.open(output.path, "wb"))
  file:write(pandoc.write(doc, output.format, writer_options(output)))
  file:close()
  -- on a line of its own, whatever a town's filter may have printed
  io.stdout:write("\n", ANNOUNCE, output.format, "\n")
  io.stdout:flush()
end

local shared = read(plan.input)
for _, output in ipairs(plan.outputs) do
  -- its own Markdown when it differs (the bilan's Typst names its charts by file)
  write(output.input and read(output.input) or shared, output)
end
