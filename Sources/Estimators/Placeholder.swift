import Arrays
