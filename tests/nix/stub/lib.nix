# A stand-in for the parts of nixpkgs' lib that nixos-module/default.nix uses, since no nixpkgs exists here.
# Same names and signatures; the semantics that matter for the module are kept (mkIf, mkDefault/mkOverride
# priorities, mkMerge, option defaults, type checks, attrsOf/submodule/listOf merging). Documentation-only
# arguments (description, example, defaultText) are accepted and ignored.
let
  inherit (builtins)
    all
    elem
    isAttrs
    isBool
    isInt
    isList
    isPath
    isString
    substring
    ;

  lib = rec {
    mkOption = attrs: attrs // { _type = "option"; };
    mkEnableOption =
      name:
      mkOption {
        type = types.bool;
        default = false;
        description = "Whether to enable ${name}.";
      };

    mkIf = condition: content: {
      _type = "if";
      inherit condition content;
    };
    mkMerge = contents: {
      _type = "merge";
      inherit contents;
    };
    mkOverride = priority: content: {
      _type = "override";
      inherit priority content;
    };
    mkOrder = priority: content: {
      _type = "order";
      inherit priority content;
    };
    mkBefore = mkOrder 500;
    mkAfter = mkOrder 1500;

    mkOptionDefault = mkOverride 1500;
    mkDefault = mkOverride 1000;
    mkForce = mkOverride 50;

    literalExpression = text: {
      _type = "literalExpression";
      inherit text;
    };

    optional = condition: value: if condition then [ value ] else [ ];

    isDerivation = value: isAttrs value && value.type or null == "derivation";

    inherit (import ./modules.nix { inherit lib; }) evalModules mergeDefinitions evalOptionTree;

    types = rec {
      mkType =
        {
          name,
          check,
          merge ? mergeEqual,
        }:
        {
          _type = "option-type";
          inherit name check merge;
        };

      # Several definitions of a scalar must agree (lib.options.mergeEqualOption).
      mergeEqual =
        loc: values:
        if all (value: value == builtins.head values) values then
          builtins.head values
        else
          throw "The option `${builtins.concatStringsSep "." loc}' has conflicting definition values.";

      bool = mkType {
        name = "bool";
        check = isBool;
      };
      str = mkType {
        name = "str";
        check = isString;
      };
      int = mkType {
        name = "int";
        check = isInt;
      };
      ints = {
        unsigned = mkType {
          name = "unsigned int";
          check = value: isInt value && value >= 0;
        };
        between =
          lowest: highest:
          mkType {
            name = "int between ${toString lowest} and ${toString highest}";
            check = value: isInt value && value >= lowest && value <= highest;
          };
      };
      # nixpkgs: a string-like value starting with "/" (a path literal passes too).
      path = mkType {
        name = "path";
        check =
          value:
          (isString value || isPath value || isAttrs value && value ? outPath) && substring 0 1 (toString value) == "/";
      };
      package = mkType {
        name = "package";
        check = isDerivation;
      };
      enum =
        values:
        mkType {
          name = "one of ${builtins.toJSON values}";
          check = value: elem value values;
        };
      nullOr =
        elemType:
        mkType {
          name = "null or ${elemType.name}";
          check = value: value == null || elemType.check value;
          merge =
            loc: values:
            if all (value: value == null) values then
              null
            else if builtins.any (value: value == null) values then
              throw "The option `${builtins.concatStringsSep "." loc}' is defined both null and not null."
            else
              elemType.merge loc values;
        };
      listOf =
        elemType:
        mkType {
          name = "list of ${elemType.name}";
          check = value: isList value && all elemType.check value;
          merge = loc: values: builtins.concatLists values;
        };
      attrsOf =
        elemType:
        mkType {
          name = "attribute set of ${elemType.name}";
          check = isAttrs;
          merge = loc: values: mergeAttrsWith loc (attrLoc: defs: mergeDefinitions attrLoc elemType defs) values;
        };
      submodule =
        module:
        mkType {
          name = "submodule";
          check = isAttrs;
          merge = loc: values: evalOptionTree loc module.options values;
        };
      # What pkgs.formats.toml's type accepts: attribute sets merge key by key, lists concatenate.
      tomlValue = mkType {
        name = "TOML value";
        check = value: true;
        merge =
          loc: values:
          if all (value: isAttrs value && !isDerivation value) values then
            (attrsOf tomlValue).merge loc values
          else if all isList values then
            builtins.concatLists values
          else
            mergeEqual loc values;
      };

      anything = tomlValue // {
        name = "anything";
      };

      # The attributes of several attribute sets, each merged from its definitions; absent ones dropped.
      mergeAttrsWith =
        loc: mergeOne: values:
        let
          names = builtins.attrNames (builtins.zipAttrsWith (name: _: null) values);
          merged = map (name: {
            inherit name;
            result = mergeOne (loc ++ [ name ]) (builtins.catAttrs name values);
          }) names;
        in
        builtins.listToAttrs (
          map (entry: {
            inherit (entry) name;
            value = entry.result.value;
          }) (builtins.filter (entry: entry.result.present) merged)
        );
    };
  };
in
lib
