; acs-lint facts for Python. Vocabulary: server/facts/build.rs.

(call
  function: [
    (identifier) @call.callee
    (attribute object: (_) @call.receiver attribute: (identifier) @call.callee)
  ]
  arguments: (argument_list) @call.args) @call

; A call of a capitalised name constructs an instance of that class.
(call
  function: (identifier) @new.callee
  arguments: (argument_list) @new.args
  (#match? @new.callee "^[A-Z]")) @new

(keyword_argument name: (identifier) @arg.name value: (_) @arg.value) @arg

(dictionary) @object
(pair key: (_) @prop.key value: (_) @prop.value) @prop

[(list) (tuple) (set)] @array

(string) @string
(interpolation expression: (_) @interp.expr) @interp
(concatenated_string) @concat
(binary_operator left: (_) @concat.left operator: "+" right: (_) @concat.right) @concat

(attribute object: (_) @member.object attribute: (identifier) @member.name) @member

(parenthesized_expression (_) @wrap.inner) @wrap
(await (_) @wrap.inner) @wrap

(assignment left: (identifier) @binding.name right: (_) @binding.value) @binding
(assignment
  left: (attribute object: (_) @assign.object attribute: (identifier) @assign.name)
  right: (_) @assign.value) @assign

[(integer) (float)] @number

(comparison_operator operators: ["==" "!="]) @compare
(match_statement subject: (_) @switch.subject) @switch
(case_clause (case_pattern) @case.value) @case

(comment) @comment

(expression_statement (_) @statement.expr) @statement

[(lambda) (function_definition)] @function

(import_statement name: (dotted_name) @import.module) @import
(import_from_statement module_name: (dotted_name) @import.module) @import
