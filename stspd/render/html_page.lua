-- stspd's own filter for the HTML page, run last, after the town's stspd.lua: the markup the page's stylesheet
-- (templates/stspd.css) and its readers rely on, whatever filter a town gives.
--   - A table of three columns or more is marked `empilable`, and each of its body cells carries the title of its
--     column (data-colonne): on a phone the stylesheet shows each row as a block, every value beside its title,
--     instead of a table wider than the screen or of columns a word wide. A table of two columns (a question and
--     its answers, a heading and its text) fits a phone as it is. From four columns the table is also `large`:
--     on a wide screen it may take the whole width, where a narrower one keeps the text's.
--   - The document's body is the page's <main>, the landmark that the skip link (documents.py) points to, past the
--     cover and the contents.

local MIN_COLUMNS = 3
local WIDE_COLUMNS = 4
local MAIN_ID = "contenu-principal" -- the skip link's target: SKIP_LINK in stspd/render/documents.py

local function single(cell)
  return cell.col_span == 1 and cell.row_span == 1
end

-- The titles of the columns, or nil when a cell of the table does not sit under exactly one of them (no header
-- row, two header rows, merged cells): a cell could then be given a title that is not its own.
local function column_titles(tbl)
  if #tbl.head.rows ~= 1 or #tbl.foot.rows ~= 0 then
    return nil
  end
  local titles = {}
  for _, cell in ipairs(tbl.head.rows[1].cells) do
    if not single(cell) then
      return nil
    end
    table.insert(titles, pandoc.utils.stringify(cell.contents))
  end
  for _, body in ipairs(tbl.bodies) do
    if #body.head ~= 0 then
      return nil
    end
    for _, row in ipairs(body.body) do
      if #row.cells ~= #titles then
        return nil
      end
      for _, cell in ipairs(row.cells) do
        if not single(cell) then
          return nil
        end
      end
    end
  end
  return titles
end

function Table(tbl)
  if #tbl.colspecs < MIN_COLUMNS then
    return nil
  end
  local titles = column_titles(tbl)
  if not titles then
    return nil
  end
  tbl.classes:insert("empilable")
  if #tbl.colspecs >= WIDE_COLUMNS then
    tbl.classes:insert("large")
  end
  for _, body in ipairs(tbl.bodies) do
    for _, row in ipairs(body.body) do
      for column, cell in ipairs(row.cells) do
        cell.attributes["data-colonne"] = titles[column]
      end
    end
  end
  return tbl
end

function Pandoc(doc)
  table.insert(doc.blocks, 1, pandoc.RawBlock("html", '<main id="' .. MAIN_ID .. '">'))
  table.insert(doc.blocks, pandoc.RawBlock("html", "</main>"))
  return doc
end
