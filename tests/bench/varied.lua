-- wrk script for bench.sh: catalogue searches the app's response cache (keyed by full URL,
-- about 1 s) cannot answer. Requests are <path>?q=<word>&page=<1..50>&tri=<sort>, plus
-- &theme=<code> one time in four. The 40 words are common in the synthetic catalogue
-- (cousilab seed --practices N), so most pages hold results; the accented ones are sent both
-- URL-encoded and without accents (50 spellings, 7,500 URLs without a theme). Each thread walks
-- those URLs in a shuffled order that repeats none before all were sent, from its own starting
-- point, so no URL comes back within a second below several thousand requests per second.
-- Deterministic: thread n seeds math.random with 42 + n.
--   wrk -t2 -c64 -d10s -s tests/bench/varied.lua http://127.0.0.1:18180/recherche

local words = {
  "agents", "usagers", "formation", "équipe", "accueil", "télétravail", "projet", "managers",
  "travail", "organismes", "suivi", "service", "réunion", "direction", "démarches", "sécurité",
  "numérique", "communication", "crise", "collègues", "métiers", "ateliers", "allocataires",
  "données", "droits", "accompagnement", "partenaires", "outils", "messagerie", "téléphone",
  "information", "organisation", "entretien", "guide", "parcours", "charte", "recrutement",
  "courriel", "volontaires", "quotidien",
}
local sorts = { "pertinence", "recent", "reutilise" }
local themes = {
  "communication", "continuite-activite", "nouvelles-modalites-travail", "rgpd",
  "recrutement-integration", "relation-usagers", "acces-droits", "rse", "outils-collaboratifs",
  "formation", "management",
}
local PAGES = 50
-- The two-byte UTF-8 letters of the words above, without their accent.
local plain = {
  ["à"] = "a", ["â"] = "a", ["ç"] = "c", ["é"] = "e", ["è"] = "e", ["ê"] = "e", ["ë"] = "e",
  ["î"] = "i", ["ï"] = "i", ["ô"] = "o", ["ù"] = "u", ["û"] = "u",
}

local function urlencode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", c:byte()) end))
end

local function gcd(x, y)
  while y > 0 do x, y = y, x % y end
  return x
end

-- q values: every word URL-encoded, and the accented ones again without accents.
local spellings = {}
for _, word in ipairs(words) do
  spellings[#spellings + 1] = urlencode(word)
  local bare = word:gsub("\195[\128-\191]", plain)
  if bare ~= word then spellings[#spellings + 1] = bare end
end

local n_urls = #spellings * PAGES * #sorts
local step = 4001 -- visits URL (step * k + start) % n_urls at request k: a permutation
while gcd(step, n_urls) ~= 1 do step = step + 1 end
local k, start = 0, 0

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

function init(args)
  math.randomseed(42 + id)
  -- Starting points spread by the golden ratio keep threads far apart in the walk.
  start = math.floor((((id - 1) * 0.6180339887) % 1) * n_urls)
end

function request()
  local u = (step * k + start) % n_urls
  k = (k + 1) % n_urls
  local q = spellings[u % #spellings + 1]
  u = math.floor(u / #spellings)
  local path = string.format("%s?q=%s&page=%d&tri=%s", wrk.path, q, u % PAGES + 1,
    sorts[math.floor(u / PAGES) + 1])
  if math.random(4) == 1 then
    path = path .. "&theme=" .. themes[math.random(#themes)]
  end
  return wrk.format("GET", path)
end
