-- stspd's guard, the first filter of every conversion, before the town's or stspd's own (stspd.lua).
--
-- A user's text is Markdown for a report: paragraphs, emphasis, lists, links, tables. The reader already
-- refuses raw code, spans, citations and metadata blocks, and markdown_syntax.block escapes the syntax of the rest;
-- this is the second line: whatever got through is turned back into plain content here, before any writer
-- (DOCX, ODT, HTML, Typst) sees it.
--   - links: only http, https and mailto targets (and the document's own #anchors); no attributes;
--   - images: only those stspd put there, named by the SHA-1 of their source in the metadata `stspd-images`;
--   - attributes: none, but the classes the templates use on their own blocks and headings (« suite »: a section
--     that follows on the page) and the image sizes they set;
--   - raw code and citations: their text;
--   - in Typst, a text that starts a table cell, a caption or a link's text with a list or heading marker
--     (« 1. », « - », « + », « / », « = ») keeps it as text.

local KEPT_CLASSES = { fiche = true, ["nouvelle-page"] = true, paysage = true, graphiques = true }
local IMAGE_SIZES = { "width", "height" }
local allowed_images = {}

local function safe_target(target)
  local lowered = target:lower()
  return lowered:match("^https?://") ~= nil or lowered:match("^mailto:") ~= nil or target:match("^#[%w%-_:.]*$") ~= nil
end

local function image_attributes(attr)
  local kept = {}
  for _, name in ipairs(IMAGE_SIZES) do
    if attr.attributes[name] then
      kept[name] = attr.attributes[name]
    end
  end
  return pandoc.Attr("", {}, kept)
end

-- Typst reads a list or heading marker at the start of every content block ([…]), and pandoc's Typst writer escapes
-- one only at the start of a paragraph: a cell « 1. Les jeunes… » became a numbered list (its last word dropping to a
-- line of its own), a cell « = … » a heading. A backslash before the first character keeps it as text.
local function typst_escape_start(inlines)
  local first = inlines[1]
  if first and first.t == "Str" and (first.text:match("^%d+%.") or first.text:match("^[-+=/]")) then
    inlines:insert(1, pandoc.RawInline("typst", "\\"))
  end
  return inlines
end

local function typst_escape_blocks(blocks)
  local first = blocks[1]
  if first and (first.t == "Plain" or first.t == "Para") then
    typst_escape_start(first.content)
  end
end

local function typst_escape_rows(rows)
  for _, row in ipairs(rows) do
    for _, cell in ipairs(row.cells) do
      typst_escape_blocks(cell.contents)
    end
  end
end

local typst_text = {
  Table = function(tbl)
    typst_escape_rows(tbl.head.rows)
    for _, body in ipairs(tbl.bodies) do
      typst_escape_rows(body.head)
      typst_escape_rows(body.body)
    end
    typst_escape_rows(tbl.foot.rows)
    typst_escape_blocks(tbl.caption.long)
    return tbl
  end,
  Figure = function(figure)
    typst_escape_blocks(figure.caption.long)
    return figure
  end,
  Link = function(link)
    typst_escape_start(link.content)
    return link
  end,
}

local filters = {
  {
    Meta = function(meta)
      for _, hash in ipairs(meta["stspd-images"] or {}) do
        allowed_images[pandoc.utils.stringify(hash)] = true
      end
      meta["stspd-images"] = nil
      return meta
    end,
  },
  {
    Link = function(link)
      if not safe_target(link.target) then
        return link.content
      end
      link.attr = pandoc.Attr()
      link.title = ""
      return link
    end,
    Image = function(image)
      if not allowed_images[pandoc.utils.sha1(image.src)] then
        return image.caption
      end
      image.attr = image_attributes(image.attr)
      image.title = ""
      return image
    end,
    Span = function(span)
      return span.content
    end,
    Cite = function(cite)
      return cite.content
    end,
    RawInline = function(raw)
      return pandoc.Str(raw.text)
    end,
    RawBlock = function(raw)
      return pandoc.CodeBlock(raw.text)
    end,
    Code = function(code)
      code.attr = pandoc.Attr()
      return code
    end,
    CodeBlock = function(code)
      code.attr = pandoc.Attr()
      return code
    end,
    Header = function(header)
      local classes = header.classes:includes("suite") and { "suite" } or {}
      header.attr = pandoc.Attr(header.identifier, classes)
      return header
    end,
    Figure = function(figure)
      figure.attr = pandoc.Attr()
      return figure
    end,
    Table = function(tbl)
      tbl.attr = pandoc.Attr()
      return tbl
    end,
    Div = function(div)
      local classes = {}
      for _, class in ipairs(div.classes) do
        if KEPT_CLASSES[class] then
          table.insert(classes, class)
        end
      end
      if #classes == 0 then
        return div.content
      end
      div.attr = pandoc.Attr("", classes)
      return div
    end,
  },
}

if FORMAT == "typst" then  -- after the guard: the raw Typst it adds is stspd's, not the text's
  table.insert(filters, typst_text)
end
return filters
