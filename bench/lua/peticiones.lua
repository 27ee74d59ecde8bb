-- wrk script: requests read from the file named by BENCH_PETICIONES (written by bench/correr.py).
-- Blocks separated by a line "---"; each block: method, path, "H Name: value" header lines, an optional
-- "B <body>" line. Requests rotate over the blocks (e.g. several agents, each with its own token and body).
local variantes = {}
local siguiente = 0

function init(args)
  local actual = nil
  for linea in io.lines(os.getenv("BENCH_PETICIONES")) do
    if linea == "---" then
      actual = nil
    elseif actual == nil then
      actual = { metodo = linea, cabeceras = {} }
      table.insert(variantes, actual)
    elseif actual.ruta == nil then
      actual.ruta = linea
    elseif linea:sub(1, 2) == "H " then
      local nombre, valor = linea:sub(3):match("^([^:]+):%s*(.*)$")
      actual.cabeceras[nombre] = valor
    elseif linea:sub(1, 2) == "B " then
      actual.cuerpo = linea:sub(3)
    end
  end
  for _, v in ipairs(variantes) do
    v.peticion = wrk.format(v.metodo, v.ruta, v.cabeceras, v.cuerpo)
  end
end

function request()
  siguiente = siguiente % #variantes + 1
  return variantes[siguiente].peticion
end
