; acs-lint facts for JavaScript (also the base of TypeScript). Vocabulary: server/facts/build.rs.

(call_expression
  function: [
    (identifier) @call.callee
    (member_expression object: (_) @call.receiver property: (_) @call.callee)
  ]
  arguments: (arguments) @call.args) @call

(new_expression
  constructor: (_) @new.callee
  arguments: (arguments)? @new.args) @new

(object) @object
(pair key: (_) @prop.key value: (_) @prop.value) @prop
(shorthand_property_identifier) @prop

(array) @array

[(string) (template_string)] @string
(template_substitution (_) @interp.expr) @interp

(binary_expression left: (_) @concat.left operator: "+" right: (_) @concat.right) @concat

(member_expression object: (_) @member.object property: (_) @member.name) @member

(parenthesized_expression (_) @wrap.inner) @wrap
(await_expression (_) @wrap.inner) @wrap
(unary_expression operator: "void" argument: (_) @wrap.inner) @wrap

(variable_declarator name: (identifier) @binding.name value: (_) @binding.value) @binding
; A function declaration binds its name to the function.
(function_declaration name: (identifier) @binding.name) @binding @binding.value
(assignment_expression left: (identifier) @binding.name right: (_) @binding.value) @binding
(assignment_expression
  left: (member_expression object: (_) @assign.object property: (_) @assign.name)
  right: (_) @assign.value) @assign

(number) @number

(binary_expression left: (_) @compare.left operator: ["==" "===" "!=" "!=="] right: (_) @compare.right) @compare
(switch_statement value: (_) @switch.subject) @switch
(switch_case value: (_) @case.value) @case

(comment) @comment

(expression_statement (_) @statement.expr) @statement

[(arrow_function) (function_expression) (function_declaration) (method_definition)] @function

(import_statement source: (string) @import.module) @import
(call_expression
  function: (identifier) @_require
  arguments: (arguments . (string) @import.module)
  (#eq? @_require "require")) @import
