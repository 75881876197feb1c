# A small version of nixpkgs' module system (lib.evalModules), enough to evaluate nixos-module/default.nix with a
# test configuration. It keeps the semantics the module relies on:
#   - a module's config is pushed down namespace by namespace (mkIf/mkMerge/mkOverride distribute over attributes),
#     so an mkIf condition is only evaluated when its option is merged, never to find the configuration's shape;
#   - per option: mkMerge and false mkIf dropped, then only the highest-priority definitions kept (an option's
#     default is a definition of priority 1500, mkDefault 1000, plain 100, mkForce 50), sorted by mkOrder
#     (mkBefore 500, plain 1000, mkAfter 1500), then type-checked and merged by the type (attrsOf and submodule merge attribute by attribute, lists concatenate, scalars must agree);
#   - an option without definitions or default throws "used but not defined" when read.
# Options nobody declares here (systemd.services, services.nginx, …: other NixOS modules) merge freeform, with the
# same rules. A namespace that declares options directly is strict: an unknown option there is an error.
{ lib }:
let
  inherit (builtins)
    all
    any
    attrNames
    attrValues
    catAttrs
    concatLists
    concatMap
    concatStringsSep
    filter
    foldl'
    isAttrs
    isBool
    isFunction
    isList
    isPath
    isString
    length
    listToAttrs
    mapAttrs
    typeOf
    zipAttrsWith
    ;

  showLoc = loc: concatStringsSep "." loc;
  kindOf = value: if isAttrs value then value._type or null else null;
  isOption = value: kindOf value == "option";

  # mkMerge and mkIf resolved (lib.modules.dischargeProperties).
  discharge =
    loc: value:
    if kindOf value == "merge" then
      concatMap (discharge loc) value.contents
    else if kindOf value == "if" then
      if !isBool value.condition then
        throw "mkIf at `${showLoc loc}': the condition is a ${typeOf value.condition}, not a bool"
      else if value.condition then
        discharge loc value.content
      else
        [ ]
    else
      [ value ];

  priorityOf = value: if kindOf value == "override" then value.priority else 100;
  stripOverride = value: if kindOf value == "override" then value.content else value;

  # Only the definitions with the highest priority, i.e. the lowest number (lib.modules.filterOverrides).
  filterOverrides =
    values:
    let
      best = foldl' (lowest: value: if priorityOf value < lowest then priorityOf value else lowest) 9999 values;
    in
    map stripOverride (filter (value: priorityOf value == best) values);

  # Definitions in mkOrder order, the others at 1000, stable (lib.modules.sortProperties).
  orderOf = value: if kindOf value == "order" then value.priority else 1000;
  sortByOrder =
    values:
    map (value: if kindOf value == "order" then value.content else value) (
      builtins.sort (a: b: orderOf a < orderOf b) values
    );

  # A definition of a namespace as a list of attribute sets whose values carry the properties of the enclosing
  # mkIf/mkMerge/mkOverride (lib.modules.pushDownProperties).
  pushDown =
    loc: value:
    if kindOf value == "merge" then
      concatMap (pushDown loc) value.contents
    else if kindOf value == "if" then
      map (mapAttrs (_: lib.mkIf value.condition)) (pushDown loc value.content)
    else if kindOf value == "override" then
      map (mapAttrs (_: lib.mkOverride value.priority)) (pushDown loc value.content)
    else if isAttrs value then
      [ value ]
    else
      throw "`${showLoc loc}' is a namespace of options: its definition must be an attribute set, not a ${typeOf value}";

  # { present, value }: present is false when no definition is left after mkIf and priorities.
  mergeDefinitions =
    loc: type: definitions:
    let
      values = sortByOrder (filterOverrides (concatMap (discharge loc) definitions));
      wrong = filter (value: !type.check value) values;
    in
    if length values == 0 then
      {
        present = false;
        value = null;
      }
    else if wrong != [ ] then
      throw "The option `${showLoc loc}' has a value of type ${typeOf (builtins.head wrong)} that is not a ${type.name}."
    else
      {
        present = true;
        value = type.merge loc values;
      };

  mergeOption =
    loc: option: definitions:
    let
      result = mergeDefinitions loc option.type (
        (if option ? default then [ (lib.mkOptionDefault option.default) ] else [ ]) ++ definitions
      );
    in
    if result.present then result.value else throw "The option `${showLoc loc}' is used but not defined.";

  # A value nobody declared: attribute sets merge recursively, lists concatenate, scalars must agree.
  mergeFreeform =
    loc: definitions:
    let
      values = sortByOrder (filterOverrides (concatMap (discharge loc) definitions));
    in
    if length values == 0 then
      {
        present = false;
        value = null;
      }
    else
      {
        present = true;
        value =
          if all (value: isAttrs value && !lib.isDerivation value) values then
            lib.types.mergeAttrsWith loc mergeFreeform values
          else if all isList values then
            concatLists values
          else
            lib.types.mergeEqual loc values;
      };

  evalOptionTree =
    loc: declarations: definitions:
    let
      pushed = concatMap (pushDown loc) definitions;
      definedNames = attrNames (zipAttrsWith (_: _: null) pushed);
      unknownNames = filter (name: !(declarations ? ${name})) definedNames;
      strict = loc != [ ] && any isOption (attrValues declarations);
      valueOf =
        name:
        let
          subDefinitions = catAttrs name pushed;
          declaration = declarations.${name};
          freeform = mergeFreeform (loc ++ [ name ]) subDefinitions;
        in
        if !(declarations ? ${name}) then
          # Kept even when every definition is a false mkIf: whether it is present is only known by evaluating
          # conditions, which may read this very configuration.
          (if freeform.present then freeform.value else null)
        else if isOption declaration then
          mergeOption (loc ++ [ name ]) declaration subDefinitions
        else
          evalOptionTree (loc ++ [ name ]) declaration subDefinitions;
    in
    if strict && unknownNames != [ ] then
      throw "The option `${showLoc (loc ++ [ (builtins.head unknownNames) ])}' does not exist."
    else
      listToAttrs (
        map (name: {
          inherit name;
          value = valueOf name;
        }) (attrNames declarations ++ unknownNames)
      );

  # Declarations of several modules, joined namespace by namespace.
  joinDeclarations =
    left: right:
    left
    // mapAttrs (
      name: value:
      if !(left ? ${name}) then
        value
      else if isOption value || isOption left.${name} then
        throw "The option `${name}' is declared twice."
      else
        joinDeclarations left.${name} value
    ) right;

  evalModules =
    {
      modules,
      specialArgs ? { },
    }:
    let
      load =
        module:
        let
          raw = if isPath module || isString module then import module else module;
          value =
            if isFunction raw then
              raw (
                specialArgs
                // {
                  inherit config lib;
                  options = declarations;
                }
              )
            else
              raw;
          structured = value ? options || value ? config;
        in
        [
          {
            options = value.options or { };
            config =
              if structured then
                value.config or { }
              else
                removeAttrs value [
                  "imports"
                  "_file"
                  "key"
                  "meta"
                  "disabledModules"
                ];
          }
        ]
        ++ concatMap load (value.imports or [ ]);
      loaded = concatMap load modules;
      declarations = foldl' joinDeclarations { } (map (module: module.options) loaded);
      config = evalOptionTree [ ] declarations (map (module: module.config) loaded);
    in
    {
      inherit config;
      options = declarations;
    };
in
{
  inherit evalModules mergeDefinitions evalOptionTree;
}
