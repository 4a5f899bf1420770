-- pandoc filter of stspd: a new page for each fiche action (.nouvelle-page), and landscape markers for wide tables.
-- (French typography is applied to the Markdown before pandoc: a filter over every inline costs 0.6 s.)

local page_break = {
  docx = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>',
  odt = '<text:p text:style-name="StspdPageBreak"/>',  -- becomes the next heading's break (render/odt_finish.py)
  typst = '#pagebreak(weak: true)',
}
local raw_format = { docx = "openxml", odt = "opendocument", typst = "typst" }

-- The docx post-processing turns these empty paragraphs into section breaks (see stspd/render/docx_finish.py).
local function marker(name)
  return pandoc.RawBlock("openxml", '<w:p><w:pPr><w:pStyle w:val="' .. name .. '"/></w:pPr></w:p>')
end

-- A table without a header row (a fiche's identity): Typst's table rules colour the first row as a header; here
-- that row is data, so the rules are undone around it.
function Table(tbl)
  if FORMAT == "typst" and #tbl.head.rows == 0 then
    return {
      pandoc.RawBlock("typst", '#[#set table(fill: none)\n#show table.cell.where(y: 0): set text(fill: black, weight: "regular")'),
      tbl,
      pandoc.RawBlock("typst", "]"),
    }
  end
end

-- A level-1 heading of class « suite » follows on the page instead of starting one (a section after a table's
-- short tail): Typst's heading rule reads the state (style.typ); the DOCX's and the ODT's markers become the
-- heading's page break turned off (render/docx_finish.py, render/odt_finish.py); the HTML page prints it where it
-- falls (stspd.css).
function Header(header)
  if header.level ~= 1 or not header.classes:includes("suite") then
    return nil
  end
  if FORMAT == "typst" then
    return { pandoc.RawBlock("typst", '#state("stspd-suite", false).update(true)'), header }
  end
  if FORMAT == "docx" then
    return { marker("StspdFollowOn"), header }
  end
  if FORMAT == "odt" then
    return { pandoc.RawBlock("opendocument", '<text:p text:style-name="StspdFollowOn"/>'), header }
  end
end

function Div(div)
  if div.classes:includes("nouvelle-page") and page_break[FORMAT] then
    -- before the div, not in it: Typst allows no page break inside a container
    return { pandoc.RawBlock(raw_format[FORMAT], page_break[FORMAT]), div }
  end
  if div.classes:includes("paysage") then
    if FORMAT == "typst" then  -- a page rule starts a new page: the table gets pages of its own, turned
      table.insert(div.content, 1, pandoc.RawBlock("typst", "#set page(flipped: true)"))
      table.insert(div.content, pandoc.RawBlock("typst", "#set page(flipped: false)"))
      return div.content
    end
    if FORMAT == "odt" then  -- paragraphs whose styles turn the page and turn it back (render/odt_finish.py)
      table.insert(div.content, 1, pandoc.RawBlock("opendocument", '<text:p text:style-name="StspdLandscapeStart"/>'))
      table.insert(div.content, pandoc.RawBlock("opendocument", '<text:p text:style-name="StspdLandscapeEnd"/>'))
      return div.content
    end
    if FORMAT ~= "docx" then
      return div.content  -- elsewhere (HTML) there are no pages to turn
    end
    table.insert(div.content, 1, marker("StspdLandscapeStart"))
    table.insert(div.content, marker("StspdLandscapeEnd"))
    return div
  end
end
