# Renders an attribute set as TOML, with builtins only, so that the same code runs in the module and in the tests
# (which have no nixpkgs and so no pkgs.formats.toml). tests/nix feeds its output to the real binary's parser.
#
# Keys are sorted. Within each table, plain keys come before sub-tables, as TOML requires. Strings use
# builtins.toJSON: every escape JSON can produce is also a TOML basic-string escape, and only DEL, which JSON leaves
# as is but TOML forbids raw, needs one more. Attribute sets inside
# lists become inline tables. A null value drops its key, so `settings.api-endpoint = null` removes a default.
let
  inherit (builtins)
    attrNames
    concatStringsSep
    filter
    isAttrs
    isBool
    isFloat
    isInt
    isList
    isPath
    isString
    match
    toJSON
    typeOf
    ;

  delete = builtins.fromJSON ''"\u007f"'';
  renderString = text: builtins.replaceStrings [ delete ] [ "\\u007f" ] (toJSON text);

  isTable = value: isAttrs value && !(value ? outPath);

  # A bare key when TOML allows one, else a quoted key.
  renderKey = key: if match "[A-Za-z0-9_-]+" key != null then key else renderString key;

  renderFloat =
    value:
    let
      text = toJSON value;
    in
    # toJSON writes 2.0 as "2", which TOML would read as an integer.
    if match "-?[0-9]+" text != null then "${text}.0" else text;

  renderValue =
    path: value:
    if isBool value then
      (if value then "true" else "false")
    else if isInt value then
      toString value
    else if isFloat value then
      renderFloat value
    # Paths and anything with an outPath (a package, a file) become their string.
    else if isString value || isPath value || (isAttrs value && value ? outPath) then
      renderString (toString value)
    else if isList value then
      "[" + concatStringsSep ", " (map (renderValue path) (filter (v: v != null) value)) + "]"
    else if isAttrs value then
      "{ " + concatStringsSep ", " (map (k: "${renderKey k} = ${renderValue path value.${k}}") (presentKeys value)) + " }"
    else
      throw "vega-lite settings: ${concatStringsSep "." path} is a ${typeOf value}, which TOML cannot hold";

  presentKeys = table: filter (key: table.${key} != null) (attrNames table);

  renderTable =
    path: table:
    let
      keys = presentKeys table;
      plainKeys = filter (key: !isTable table.${key}) keys;
      tableKeys = filter (key: isTable table.${key}) keys;
      header = if path == [ ] then [ ] else [ "[${concatStringsSep "." (map renderKey path)}]" ];
      plainLines = map (key: "${renderKey key} = ${renderValue (path ++ [ key ]) table.${key}}") plainKeys;
      subTables = map (key: renderTable (path ++ [ key ]) table.${key}) tableKeys;
    in
    concatStringsSep "\n\n" (filter (block: block != "") ([ (concatStringsSep "\n" (header ++ plainLines)) ] ++ subTables));
in
{
  # The whole document, ending with a newline.
  renderToml = settings: renderTable [ ] settings + "\n";
}
