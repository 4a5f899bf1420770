-- stspd's own filter, run after the town's stspd.lua: in the PDF and the HTML page, an indicator's verdict in its
-- colours, in the column of a table titled « Verdict » (the bilan's grid), as the grid's XLSX and DOCX show it.
-- The colours are the metadata `stspd-verdicts` (verdict → fond, texte), which stspd writes from its one palette
-- (VERDICT_COLOURS in stspd/exchange/grid_files.py); the DOCX gets them in stspd/render/docx_finish.py. The verdict
-- stays written: colour is never its only carrier. Every format runs it, so that the metadata never reaches a
-- document (pandoc's DOCX would keep it as a custom property).

local colours = {}

local function Meta(meta)
  for verdict, pair in pairs(meta["stspd-verdicts"] or {}) do
    colours[verdict] = { fond = pandoc.utils.stringify(pair.fond), texte = pandoc.utils.stringify(pair.texte) }
  end
  meta["stspd-verdicts"] = nil
  return meta
end

local function verdict_column(tbl)
  if #tbl.head.rows ~= 1 then
    return nil
  end
  for index, cell in ipairs(tbl.head.rows[1].cells) do
    if pandoc.utils.stringify(cell.contents) == "Verdict" then
      return index
    end
  end
  return nil
end

local function Table(tbl)
  if FORMAT ~= "typst" and FORMAT ~= "html5" then
    return nil
  end
  local column = verdict_column(tbl)
  if not column then
    return nil
  end
  for _, body in ipairs(tbl.bodies) do
    for _, row in ipairs(body.body) do
      local cell = row.cells[column]
      local colour = cell and colours[pandoc.utils.stringify(cell.contents)]
      if colour and FORMAT == "typst" then
        cell.attributes["typst:fill"] = 'rgb("#' .. colour.fond .. '")'
        cell.attributes["typst:text:fill"] = 'rgb("#' .. colour.texte .. '")'
      elseif colour then
        cell.attributes["style"] = "background: #" .. colour.fond .. "; color: #" .. colour.texte
      end
    end
  end
  return tbl
end

return { { Meta = Meta }, { Table = Table } }
