; acs-lint facts for Java. Vocabulary: server/facts/build.rs.

(method_invocation
  object: (_)? @call.receiver
  name: (identifier) @call.callee
  arguments: (argument_list) @call.args) @call

(object_creation_expression
  type: (_) @new.callee
  arguments: (argument_list) @new.args) @new

(array_initializer) @array

[(string_literal) (character_literal)] @string

(binary_expression left: (_) @concat.left operator: "+" right: (_) @concat.right) @concat

(field_access object: (_) @member.object field: (identifier) @member.name) @member

(parenthesized_expression (_) @wrap.inner) @wrap
(cast_expression value: (_) @wrap.inner) @wrap

(variable_declarator name: (identifier) @binding.name value: (_) @binding.value) @binding
(assignment_expression left: (identifier) @binding.name right: (_) @binding.value) @binding
(assignment_expression
  left: (field_access object: (_) @assign.object field: (identifier) @assign.name)
  right: (_) @assign.value) @assign

[(decimal_integer_literal) (hex_integer_literal) (decimal_floating_point_literal)] @number

(binary_expression left: (_) @compare.left operator: ["==" "!="] right: (_) @compare.right) @compare
(switch_expression condition: (_) @switch.subject) @switch
(switch_label (_) @case.value) @case

[(line_comment) (block_comment)] @comment

(expression_statement (_) @statement.expr) @statement

[(lambda_expression) (method_declaration)] @function

(import_declaration (scoped_identifier) @import.module) @import
